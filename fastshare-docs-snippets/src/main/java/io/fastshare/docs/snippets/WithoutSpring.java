package io.fastshare.docs.snippets;

import io.fastshare.SharedMemoryTemplate;

import java.nio.file.Path;
import java.time.Duration;

/** README "Without Spring": building a template by hand. */
final class WithoutSpring {

    private WithoutSpring() {
    }

    static void write(Object payload) {
        // tag::without-spring[]
        try (SharedMemoryTemplate shm = SharedMemoryTemplate.builder()
                .directory(Path.of("/dev/shm/fastshare"))   // the default; both processes must use the same one
                .threshold(8 * 1024)                        // the default; below: the token carries the bytes inline
                .defaultTtl(Duration.ofMinutes(10))         // the janitor may reclaim unreleased blocks after this
                .maxLiveBytes(2L << 30)                     // quota of shared memory this process may hold
                .build()) {
            String token = shm.write(payload);
        }
        // end::without-spring[]
    }
}
