package io.fastshare;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed and hostile tokens: each fails promptly with the library's exception and touches nothing. */
class MalformedTokenTest {

    private static final String VALID_NAME = "FSHR_0123456789abcdef0123456789abcdef";

    @TempDir
    Path temp;

    SharedMemoryTemplate template;

    @BeforeEach
    void setUp() {
        template = SharedMemoryTemplate.builder().directory(TestDirs.blockDir(temp)).build();
    }

    @AfterEach
    void tearDown() throws IOException {
        template.close();
        try (Stream<Path> files = Files.list(template.directory())) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().startsWith("FSHR_")) {
                    Files.delete(file);
                }
            }
        }
        TestDirs.assertNoBlocks(template.directory());
    }

    static Stream<String> invalidTokens() {
        return Stream.of(
                "",
                " ",
                "FSHR",
                "FSHR:",
                "FSHR:shm:",
                "FSHR:shm",
                "fshr:shm:" + VALID_NAME,
                "FSHR:SHM:" + VALID_NAME,
                "FSHR:pkl:" + VALID_NAME,
                "FSHR:xyz:abc",
                "XSHR:shm:" + VALID_NAME,
                "FSHR:shm:" + VALID_NAME.toUpperCase().replace("FSHR_", "FSHR_"),
                "FSHR:shm:" + VALID_NAME + "0",
                "FSHR:shm:" + VALID_NAME.substring(0, 20),
                "FSHR:shm: " + VALID_NAME,
                "FSHR:shm:" + VALID_NAME + "\n",
                "FSHR:shm:../" + VALID_NAME,
                "FSHR:shm:..",
                "FSHR:shm:../../etc/passwd",
                "FSHR:shm:/etc/passwd",
                "FSHR:shm:/dev/shm/" + VALID_NAME,
                "FSHR:shm:FSHR_0123456789abcdef0123456789abcde\u00e9",
                "FSHR:shm:FSHR_\u0660123456789abcdef0123456789abcdef",
                "FSHR:shm:" + VALID_NAME.replace('a', 'g'),
                "FSHR:shm:FSHR_" + "0".repeat(31) + "/",
                "FSHR:shm:" + "A".repeat(100_000),
                "FSHR:inl:",
                "FSHR:inl:@@@@",
                "FSHR:inl:abc=",
                "FSHR:inl:a",
                "FSHR:inl:" + Base64.getUrlEncoder().withoutPadding().encodeToString("hello".getBytes()),
                "FSHR:inl:" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[200]),
                "FSHR:inl:" + "A".repeat(30_000_000),
                "FSHR:inl:\u00e9\u00e9\u00e9\u00e9",
                "\u0000",
                "FSHR:shm:.owners");
    }

    @ParameterizedTest
    @MethodSource("invalidTokens")
    void invalidTokensAreRejected(String token) {
        assertRejectedPromptly(token, InvalidTokenException.class);
    }

    @Test
    void nullTokenIsRejected() {
        assertThatThrownBy(() -> template.read(null, byte[].class)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void missingBlockIsNotFoundWithAnExplanation() {
        assertThatThrownBy(() -> template.read("FSHR:shm:" + VALID_NAME, byte[].class))
                .isInstanceOf(BlockNotFoundException.class)
                .hasMessageContaining("released")
                .hasMessageContaining("expired")
                .hasMessageContaining("another host");
        assertThat(template.release("FSHR:shm:" + VALID_NAME)).isFalse();
    }

    @Test
    void symlinkUnderABlockNameIsNotFollowed() throws IOException {
        Path target = temp.resolve("secret.txt");
        Files.writeString(target, "secret");
        Files.createSymbolicLink(template.directory().resolve(VALID_NAME), target);
        assertRejectedPromptly("FSHR:shm:" + VALID_NAME, BlockNotFoundException.class);
        assertThat(Files.readString(target)).isEqualTo("secret");
    }

    @Test
    void fifoUnderABlockNameIsNeverOpened() throws Exception {
        Path fifo = template.directory().resolve(VALID_NAME);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0,
                "mkfifo is not available here, FIFO case skipped");
        assertRejectedPromptly("FSHR:shm:" + VALID_NAME, BlockNotFoundException.class);
    }

    @Test
    void directoryUnderABlockNameIsNotABlock() throws IOException {
        Files.createDirectory(template.directory().resolve(VALID_NAME));
        assertRejectedPromptly("FSHR:shm:" + VALID_NAME, BlockNotFoundException.class);
    }

    @Test
    void fileThatIsNotABlockIsCorrupt() throws IOException {
        Files.writeString(template.directory().resolve(VALID_NAME), "just some text, not a block");
        assertThatThrownBy(() -> template.read("FSHR:shm:" + VALID_NAME, byte[].class))
                .isInstanceOf(CorruptBlockException.class);
    }

    private void assertRejectedPromptly(String token, Class<? extends FastShareException> expected) {
        Map<String, Function<String, Object>> operations = new LinkedHashMap<>();
        operations.put("read(byte[])", t -> template.read(t, byte[].class));
        operations.put("read()", t -> template.read(t));
        operations.put("open", t -> {
            template.open(t).close();
            return "opened";
        });
        operations.put("take", t -> template.take(t, byte[].class));
        operations.put("release", t -> template.release(t));
        for (Map.Entry<String, Function<String, Object>> operation : operations.entrySet()) {
            CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return operation.getValue().apply(token);
                } catch (Throwable e) {
                    return e;
                }
            });
            Object result = outcome.orTimeout(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS).join();
            if (operation.getKey().equals("release") && Boolean.FALSE.equals(result)) {
                // release() answers false for a missing block, and for an inline token (it owns no
                // shared memory, so its content is not even decoded); nothing else may return normally.
                assertThat(expected == BlockNotFoundException.class || token.startsWith("FSHR:inl:"))
                        .as("release of %s returned false instead of throwing", abbreviate(token)).isTrue();
                continue;
            }
            assertThat(result).as("%s of %s", operation.getKey(), abbreviate(token)).isInstanceOf(expected);
        }
    }

    private static String abbreviate(String token) {
        return token.length() > 60 ? token.substring(0, 60) + "..." : token;
    }
}
