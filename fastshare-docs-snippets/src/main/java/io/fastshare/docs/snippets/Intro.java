package io.fastshare.docs.snippets;

import io.fastshare.SharedMemoryTemplate;
import org.springframework.web.client.RestClient;

/** README's first snippet: the whole idea in three lines. */
final class Intro {

    private Intro() {
    }

    static void handOff(SharedMemoryTemplate template, RestClient restClient, float[] embeddings) {
        // tag::intro[]
        String token = template.write(embeddings);      // producer: bytes go to /dev/shm, you get a token
        restClient.post().uri("/score").body(token).retrieve().toBodilessEntity();   // ...over HTTP, Kafka, AMQP, anything

        float[] vectors = template.take(token, float[].class);    // consumer, another process: read once, block freed
        // end::intro[]
    }
}
