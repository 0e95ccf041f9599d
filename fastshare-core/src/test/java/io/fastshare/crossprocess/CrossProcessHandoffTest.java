package io.fastshare.crossprocess;

import io.fastshare.Payloads;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handoff between two real JVM processes, both directions, every raw type, inline and shared, up to
 * 256 MiB.
 */
class CrossProcessHandoffTest {

    private static final int BIG = 256 << 20;

    @TempDir
    Path temp;

    Path dir;

    @AfterEach
    void cleanUp() {
        TestDirs.assertNoBlocks(dir);
    }

    private static List<String> specs() {
        List<String> specs = new ArrayList<>();
        for (String kind : Payloads.KINDS) {
            specs.add(kind + ":0");
            specs.add(kind + ":5000");
            specs.add(kind + ":2000000");
        }
        specs.add("float[]:" + BIG);
        specs.add("byte[]:" + BIG);
        return specs;
    }

    @Test
    void childWritesThisProcessReads() {
        dir = TestDirs.blockDir(temp);
        List<String> args = new ArrayList<>();
        args.add(dir.toString());
        args.addAll(specs());
        try (ChildJvm writer = ChildJvm.start(List.of("-Xmx1g"), WriterMain.class, args.toArray(String[]::new));
                SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(dir).build()) {
            for (int i = 0; i < specs().size(); i++) {
                String[] line = writer.awaitLine("TOKEN ", Duration.ofSeconds(60)).split(" ");
                Object expected = Payloads.make(line[0], Integer.parseInt(line[1]), Long.parseLong(line[2]));
                Object actual = reader.read(line[3], Payloads.type(line[0]));
                Payloads.assertSame(line[0], expected, actual);
                assertThat(line[3]).startsWith(Integer.parseInt(line[1]) >= 1_000_000 ? "FSHR:pool:" : "FSHR:inl:");
            }
            writer.awaitLine("WRITTEN", Duration.ofSeconds(30));
            writer.send("done");
            writer.awaitLine("CLOSED", Duration.ofSeconds(30));
            assertThat(writer.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void thisProcessWritesChildReads() {
        dir = TestDirs.blockDir(temp);
        try (SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(dir).build()) {
            List<String> args = new ArrayList<>();
            args.add(dir.toString());
            long seed = 100;
            for (String spec : specs()) {
                String[] parts = spec.split(":");
                Object payload = Payloads.make(parts[0], Integer.parseInt(parts[1]), seed);
                args.add(spec + ":" + seed + ":" + writer.write(payload));
                seed++;
            }
            try (ChildJvm reader = ChildJvm.start(List.of("-Xmx1500m"), ReaderMain.class, args.toArray(String[]::new))) {
                assertThat(reader.awaitExit(Duration.ofSeconds(120))).isZero();
                assertThat(reader.output()).filteredOn(l -> l.startsWith("OK ")).hasSize(specs().size());
            }
        }
    }
}
