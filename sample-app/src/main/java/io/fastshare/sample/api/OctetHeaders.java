package io.fastshare.sample.api;

/**
 * Names of the HTTP headers that carry the metadata of an octet-stream handoff, whose body holds
 * only the floats.
 */
public final class OctetHeaders {

    /** Embedding model name. */
    public static final String MODEL = "X-Embeddings-Model";

    /** Floats per vector. */
    public static final String DIMENSIONS = "X-Embeddings-Dimensions";

    /** Number of vectors. */
    public static final String COUNT = "X-Embeddings-Count";

    /** Checksum of all floats, decimal. */
    public static final String CHECKSUM = "X-Embeddings-Checksum";

    private OctetHeaders() {
    }
}
