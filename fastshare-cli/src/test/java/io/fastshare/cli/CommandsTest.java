package io.fastshare.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Argument parsing by the picocli model, and duration syntax. */
class CommandsTest {

    @Test
    void optionsMayComeBeforeOrAfterTheCommandInBothForms() {
        Invocation line = Commands.parse("--dir", "/x", "cleanup", "--dry-run", "--grace=30s", "-v", "--json");
        assertThat(line.command()).isEqualTo("cleanup");
        assertThat(line.dir()).isEqualTo(Path.of("/x"));
        assertThat(line.dryRun()).isTrue();
        assertThat(line.verbose()).isTrue();
        assertThat(line.json()).isTrue();
        assertThat(line.grace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(line.quiet()).isFalse();

        Invocation inspect = Commands.parse("inspect", "FSHR_x", "--dir=/y");
        assertThat(inspect.arguments()).containsExactly("FSHR_x");
        assertThat(inspect.dir()).isEqualTo(Path.of("/y"));
        assertThat(Commands.parse("list").dir()).isNull();
        assertThat(Commands.parse("cleanup").grace()).isNull();
    }

    @Test
    void helpWinsOverEverythingElse() {
        assertThat(Commands.parse("list", "--help").command()).isEqualTo("help");
        assertThat(Commands.parse("-h").command()).isEqualTo("help");
        assertThat(Commands.parse("help", "cleanup").command()).isEqualTo("help");
        assertThat(Commands.parse("cleanup", "-h").command()).isEqualTo("help");
        assertThat(Commands.parse("--version").command()).isEqualTo("help");
    }

    @Test
    void cleanupTakesTheOriginalFlagsInShortAndLongForm() {
        Invocation line = Commands.parse("cleanup", "-n", "-q", "--dir", "/z");
        assertThat(line.dryRun()).isTrue();
        assertThat(line.quiet()).isTrue();
        assertThat(line.verbose()).isFalse();
        assertThat(line.json()).isFalse();
        assertThat(line.dir()).isEqualTo(Path.of("/z"));
        assertThat(Commands.parse("--json", "list").json()).isTrue();
        assertThat(Commands.parse("cleanup", "--verbose").verbose()).isTrue();
    }

    @Test
    void rejectsMalformedCommandLines() {
        for (List<String> args : List.of(List.<String>of(), List.of("frobnicate"), List.of("list", "--colour"),
                List.of("list", "extra"), List.of("inspect"), List.of("inspect", "a", "b"), List.of("list", "--dry-run"),
                List.of("inspect", "x", "--grace", "1s"), List.of("cleanup", "--grace"), List.of("cleanup", "--dir="),
                List.of("cleanup", "-q", "-v"), List.of("cleanup", "--grace", "soon"),
                List.of("list", "--dir"))) {
            assertThatThrownBy(() -> Commands.parse(args.toArray(String[]::new))).as(args.toString())
                    .isInstanceOf(UsageException.class);
        }
    }

    @Test
    void parsesDurations() {
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("3d")).isEqualTo(Duration.ofDays(3));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("pt2s")).isEqualTo(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1s", "PT-5S", "1.5s", "1 min", "ms", "99999999999999999h"})
    void rejectsBadDurations(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(UsageException.class);
    }

    @Test
    void formatsDurationsAndSizes() {
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Durations.format(Duration.ofSeconds(192))).isEqualTo("3m12s");
        assertThat(Durations.format(Duration.ofHours(2).plusMinutes(5))).isEqualTo("2h5m");
        assertThat(Durations.format(Duration.ofDays(2).plusHours(1))).isEqualTo("2d1h");
        assertThat(Sizes.format(512)).isEqualTo("512 B");
        assertThat(Sizes.format(1536)).isEqualTo("1.5 KiB");
        assertThat(Sizes.format(256L << 20)).isEqualTo("256.0 MiB");
    }
}
