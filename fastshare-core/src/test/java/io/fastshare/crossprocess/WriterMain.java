package io.fastshare.crossprocess;

import io.fastshare.Payloads;
import io.fastshare.SharedMemoryTemplate;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process: writes one payload per {@code kind:bytes} argument, prints {@code TOKEN <kind> <bytes> <token>}
 * for each, then waits for a line on standard input before closing (releasing its blocks).
 */
public final class WriterMain {

    private WriterMain() {
    }

    /**
     * Entry point.
     *
     * @param args block directory, then {@code kind:bytes} specs
     * @throws Exception on failure (the test sees the exit code)
     */
    public static void main(String[] args) throws Exception {
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(Path.of(args[0])).build()) {
            for (int i = 1; i < args.length; i++) {
                String[] spec = args[i].split(":");
                Object payload = Payloads.make(spec[0], Integer.parseInt(spec[1]), i);
                System.out.println("TOKEN " + spec[0] + " " + spec[1] + " " + i + " " + template.write(payload));
            }
            System.out.println("WRITTEN");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("CLOSED");
    }
}
