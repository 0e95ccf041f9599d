package io.fastshare.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Command-line options of the form {@code --name value} or {@code --flag}. Not thread-safe.
 */
public final class Options {

    private final Map<String, String> values = new HashMap<>();

    /**
     * Parses arguments.
     *
     * @param args arguments after the sub-command
     * @throws IllegalArgumentException on a stray argument
     */
    public Options(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
    }

    /**
     * Returns an option's value.
     *
     * @param name option name without dashes
     * @param fallback value when absent
     * @return the value
     */
    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /**
     * Returns an integer option.
     *
     * @param name option name
     * @param fallback value when absent
     * @return the value
     * @throws NumberFormatException when it is not an integer
     */
    public int getInt(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    /**
     * Returns whether a flag is present.
     *
     * @param name flag name
     * @return true when given
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }
}
