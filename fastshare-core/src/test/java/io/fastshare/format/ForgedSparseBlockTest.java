package io.fastshare.format;

import io.fastshare.TestDirs;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, item 8: a 268 MB sparse block file whose header claims 256 MiB of metadata made
 * {@code read()} and {@code blocks()} throw {@code OutOfMemoryError} with {@code -Xmx200m}: the reader
 * allocated the whole preamble before checking its checksum. Now the checksum streams, the metadata
 * is read only when a codec asks for it, and never beyond what the heap can hold.
 */
class ForgedSparseBlockTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"bad-crc", "good-crc"})
    void forgedMetadataLengthAllocatesNothingBig(String variant) {
        Path dir = TestDirs.blockDir(temp);
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx200m"), ForgedSparseBlockMain.class, dir.toString(),
                variant)) {
            String read = child.awaitLine("READ ", Duration.ofMinutes(2));
            String blocks = child.awaitLine("BLOCKS ", Duration.ofMinutes(2));
            assertThat(child.awaitExit(Duration.ofMinutes(1))).isZero();
            if (variant.equals("bad-crc")) {
                assertThat(read).startsWith("io.fastshare.CorruptBlockException").contains("header checksum mismatch");
            } else {
                assertThat(read).startsWith("io.fastshare.").doesNotContain("OutOfMemoryError");
            }
            assertThat(blocks).isEqualTo("1");
        }
        TestDirs.assertNoBlocks(dir);
    }
}
