package io.fastshare.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@link Result}s as CSV. Stateless.
 */
public final class CsvFile {

    private CsvFile() {
    }

    /**
     * Writes results to a file, replacing it.
     *
     * @param file target
     * @param results rows
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(Path file, List<Result> results) {
        List<String> lines = new ArrayList<>();
        lines.add(Result.CSV_HEADER);
        for (Result result : results) {
            lines.add(result.csv());
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
