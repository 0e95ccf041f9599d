package io.fastshare.docs.snippets.quickstart.producer;

import io.fastshare.messaging.http.FastShareMediaTypes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

// tag::quickstart-producer[]
@Service
class Producer {
    private final RestClient consumer;

    Producer(RestClient.Builder http, @Value("${consumer.url}") String consumerUrl) {
        this.consumer = http.baseUrl(consumerUrl).build();   // Boot's builder carries the fastshare converter
    }

    void send(float[] vectors) {
        consumer.post().uri("/vectors").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)   // bytes to shared memory,
                .body(vectors).retrieve().toBodilessEntity();                              // only the token over HTTP
    }
}
// end::quickstart-producer[]
