package io.fastshare.docs.snippets;

import io.fastshare.SharedBlock;
import io.fastshare.SharedMemoryTemplate;

import java.util.List;

/** README "Broadcast": one block, many reader processes. */
final class Broadcast {

    /** Stands for the application's model object. */
    record Model(String name) { }

    /** Stands for however the application reaches its worker processes. */
    interface Worker {
        void send(String token);
    }

    private Broadcast() {
    }

    static void publish(SharedMemoryTemplate shm, Model model, List<Worker> workers) {
        // tag::broadcast[]
        try (SharedBlock block = shm.share(model)) {       // no TTL; released when closed or when this process dies
            workers.forEach(w -> w.send(block.token()));
            awaitAll();
        }
        // end::broadcast[]
    }

    static void work(SharedMemoryTemplate shm, String token) {
        // tag::broadcast[]
        // in each worker process:
        Model model = shm.load(token, Model.class);        // deserialised once per process, then cached
        // end::broadcast[]
    }

    private static void awaitAll() {
        // the application's own coordination
    }
}
