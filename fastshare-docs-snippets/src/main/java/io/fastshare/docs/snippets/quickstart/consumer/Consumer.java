package io.fastshare.docs.snippets.quickstart.consumer;

import io.fastshare.SharedMemoryTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

// tag::quickstart-consumer[]
@RestController
class Consumer {
    private final SharedMemoryTemplate shm;
    private final VectorIndex index;   // your own code

    Consumer(SharedMemoryTemplate shm, VectorIndex index) {
        this.shm = shm;
        this.index = index;
    }

    @PostMapping("/vectors")
    void receive(@RequestBody String token) {
        float[] vectors = shm.take(token, float[].class);   // copy to heap, then free the block
        index.add(vectors);
    }
}
// end::quickstart-consumer[]
