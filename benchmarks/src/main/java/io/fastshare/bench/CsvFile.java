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

    /**
     * Reads results written by {@link #write}; a missing file gives no results.
     *
     * @param file the CSV file
     * @return results
     * @throws UncheckedIOException when the file cannot be read
     */
    public static List<Result> read(Path file) {
        List<Result> results = new ArrayList<>();
        if (!Files.exists(file)) {
            return results;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                List<String> cells = split(line);
                Stats stats = new Stats(Integer.parseInt(cells.get(4)), Double.parseDouble(cells.get(5)),
                        Double.parseDouble(cells.get(6)), Double.parseDouble(cells.get(7)),
                        Double.parseDouble(cells.get(8)));
                results.add(new Result(cells.get(0), cells.get(1), cells.get(2), Long.parseLong(cells.get(3)), stats));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return results;
    }

    private static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
