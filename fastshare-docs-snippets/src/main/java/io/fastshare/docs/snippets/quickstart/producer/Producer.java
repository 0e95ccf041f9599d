package io.fastshare.docs.snippets.quickstart.producer;

import io.fastshare.SharedMemoryTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

// tag::quickstart-producer[]
@Service
class Producer {
    private final SharedMemoryTemplate shm;
    private final RestClient consumer;

    Producer(SharedMemoryTemplate shm, RestClient.Builder http, @Value("${consumer.url}") String consumerUrl) {
        this.shm = shm;
        this.consumer = http.baseUrl(consumerUrl).build();
    }

    void send(float[] vectors) {
        String token = shm.write(vectors);     // inline below 1 MB, a shared-memory block above
        consumer.post().uri("/vectors").body(token).retrieve().toBodilessEntity();
    }
}
// end::quickstart-producer[]
