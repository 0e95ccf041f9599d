package io.fastshare.spring.boot.testing;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Makes orphan blocks for tests: written by another owner that then went away without releasing them. */
public final class Orphans {

    private Orphans() {
    }

    /**
     * Writes a block without TTL from a second template, backdated ten minutes (header and file time) so
     * it is past any grace period, and closes that template without releasing it.
     *
     * @param directory the block directory
     * @param bytes payload size, above the default threshold
     * @return the block name
     */
    public static String create(Path directory, int bytes) throws IOException {
        Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
        String token;
        try (SharedMemoryTemplate other = SharedMemoryTemplate.builder().directory(directory)
                .clock(Clock.fixed(tenMinutesAgo, ZoneOffset.UTC)).releaseOnClose(false).build()) {
            token = other.write(new byte[bytes], WriteOptions.defaults().noTtl().shared());
        }
        String name = token.substring("FSHR:shm:".length());
        Files.setLastModifiedTime(directory.resolve(name), FileTime.from(tenMinutesAgo));
        return name;
    }
}
