package io.fastshare.docs.snippets.quickstart.consumer;

import io.fastshare.messaging.http.FastShareMediaTypes;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

// tag::quickstart-consumer[]
@RestController
class Consumer {
    private final VectorIndex index;   // your own code

    Consumer(VectorIndex index) {
        this.index = index;
    }

    @PostMapping(path = "/vectors", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
    void receive(@RequestBody float[] vectors) {   // read from shared memory by the token in the body
        index.add(vectors);
    }
}
// end::quickstart-consumer[]
