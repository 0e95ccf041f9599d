package io.fastshare.python;

import java.util.List;

/**
 * The structured payload of the cross-language tests: what a Python dict
 * {@code {"model": str, "ids": [str], "vectors": float32 array}} reads as in Java, and the other way round.
 *
 * @param model model name
 * @param ids one id per vector
 * @param vectors the vectors, row after row
 */
public record Embeddings(String model, List<String> ids, float[] vectors) {
}
