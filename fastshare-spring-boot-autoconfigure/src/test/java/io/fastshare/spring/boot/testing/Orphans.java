package io.fastshare.spring.boot.testing;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;
import io.fastshare.cleanup.Janitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
     * Writes a block without TTL from a second template, backdated ten minutes (header and file time),
     * closes that template without releasing it and records its owner dead ten minutes ago, so the
     * block is past any grace period.
     *
     * @param directory the block directory
     * @param bytes payload size, above the default threshold
     * @return the block name
     */
    public static String create(Path directory, int bytes) throws IOException {
        Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
        String token;
        String owner;
        try (SharedMemoryTemplate other = SharedMemoryTemplate.builder().directory(directory).poolSize(0)
                .clock(Clock.fixed(tenMinutesAgo, ZoneOffset.UTC)).releaseOnClose(false).build()) {
            token = other.write(new byte[bytes], WriteOptions.defaults().noTtl().shared());
            owner = other.ownerId().toHex();
        }
        String name = token.substring("FSHR:shm:".length());
        Files.setLastModifiedTime(directory.resolve(name), FileTime.from(tenMinutesAgo));
        // Grace runs from the owner's death as janitors first saw it: record that death ten minutes ago.
        Files.writeString(directory.resolve(".owners").resolve(owner + Janitor.DEATH_SUFFIX),
                Long.toString(tenMinutesAgo.toEpochMilli()), StandardCharsets.US_ASCII);
        return name;
    }
}
