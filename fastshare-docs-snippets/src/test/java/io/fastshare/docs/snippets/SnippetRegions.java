package io.fastshare.docs.snippets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Extracts named snippets from Java sources ({@code // tag::name[]} ... {@code // end::name[]}) and from
 * Markdown ({@code <!-- snippet: name -->} followed by a {@code ```java} block), normalised the same way so
 * they can be compared: common indentation removed, trailing blanks dropped. A name tagged several times
 * in the sources is the concatenation of its regions, in file order.
 */
final class SnippetRegions {

    private static final Pattern TAG = Pattern.compile("^\\s*//\\s*(tag|end)::([\\w-]+)\\[]\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*([\\w-]+)\\s*-->\\s*$");

    private SnippetRegions() {
    }

    /** Every tagged region under {@code root}, by name. */
    static Map<String, String> fromSources(Path root) throws IOException {
        Map<String, List<String>> regions = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            Map<String, List<String>> open = new LinkedHashMap<>();
            int number = 0;
            for (String line : Files.readAllLines(file)) {
                number++;
                Matcher tag = TAG.matcher(line);
                if (tag.matches()) {
                    String name = tag.group(2);
                    if (tag.group(1).equals("tag")) {
                        if (open.putIfAbsent(name, new ArrayList<>()) != null) {
                            throw new IllegalStateException(file + ":" + number + ": tag " + name + " opened twice");
                        }
                    } else {
                        List<String> region = open.remove(name);
                        if (region == null) {
                            throw new IllegalStateException(file + ":" + number + ": end of unopened tag " + name);
                        }
                        regions.computeIfAbsent(name, n -> new ArrayList<>()).addAll(normalise(region));
                    }
                    continue;
                }
                open.values().forEach(region -> region.add(line));
            }
            if (!open.isEmpty()) {
                throw new IllegalStateException(file + ": tags never ended: " + open.keySet());
            }
        }
        Map<String, String> joined = new LinkedHashMap<>();
        regions.forEach((name, lines) -> joined.put(name, String.join("\n", lines)));
        return joined;
    }

    /**
     * Every {@code ```java} block of a Markdown file, by the name of the snippet marker on the line
     * before it.
     *
     * @throws IllegalStateException for a Java block without a marker, or a marker used twice
     */
    static Map<String, String> fromMarkdown(Path markdown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> blocks = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.strip().startsWith("```")) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            if (line.strip().equals("```java")) {
                Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
                if (marker == null || !marker.matches()) {
                    problems.add(markdown.getFileName() + ":" + (i + 1)
                            + ": ```java block without a <!-- snippet: name --> marker on the line before");
                } else if (blocks.put(marker.group(1), String.join("\n", normalise(lines.subList(i + 1, end)))) != null) {
                    problems.add(markdown.getFileName() + ":" + i + ": snippet " + marker.group(1) + " shown twice");
                }
            }
            i = end;
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
        return blocks;
    }

    private static List<String> normalise(List<String> region) {
        List<String> lines = new ArrayList<>(region.stream().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.get(0).isEmpty()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        int indent = lines.stream().filter(l -> !l.isEmpty())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList();
    }
}
