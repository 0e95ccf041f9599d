package io.fastshare.docs.snippets;

import io.fastshare.SharedMemoryTemplate;
import tools.jackson.core.type.TypeReference;

import java.util.List;
import java.util.Map;

/** README "Structured payloads": records and generic types through the JSON codec. */
final class StructuredPayloads {

    private StructuredPayloads() {
    }

    static void roundTrip(SharedMemoryTemplate shm, List<String> ids, float[] vectors, String token2) {
        // tag::structured[]
        record Embeddings(String model, List<String> ids, float[] vectors) { }

        String token = shm.write(new Embeddings("e5-large", ids, vectors));   // vectors: raw, not JSON
        Embeddings copy = shm.read(token, Embeddings.class);
        Map<String, double[]> columns = shm.read(token2, new TypeReference<Map<String, double[]>>() { });
        // end::structured[]
    }
}
