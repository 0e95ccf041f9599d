package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The peer process of the load test. Runs {@link LoadWorkers} on the shared directory; prints tokens
 * it hands off as {@code HANDOFF <token> <payload seed>} and takes tokens the parent sends the same way
 * on standard input. Protocol: {@code STOP} stops the workers ({@code STOPPED} acknowledges: no handoff follows);
 * {@code DRAINED} (the parent took all of this process's handoffs) makes it take what is left for it,
 * print {@code STATS ...} and exit. Its template does not release on close, so a leaked block stays
 * visible. Arguments: directory, seed, threads.
 */
public final class LoadWorkerMain {

    private LoadWorkerMain() {
    }

    /**
     * Runs the peer.
     *
     * @param args directory, seed, threads
     * @throws Exception on failure (the parent sees the exit code)
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(2048).poolSize(0)
                .releaseOnClose(false).build()) {
            int fdsBefore = ProcSelf.openFiles(dir);
            int mapsBefore = ProcSelf.mappings(dir);
            LoadWorkers workers = new LoadWorkers(template, Long.parseLong(args[1]), Integer.parseInt(args[2]),
                    token -> {
                        synchronized (out) {
                            out.println("HANDOFF " + token);
                            out.flush();
                        }
                    });
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            synchronized (out) {
                out.println("READY");
                out.flush();
            }
            workers.start();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("HANDOFF ")) {
                    workers.receive(line.substring("HANDOFF ".length()));
                } else if (line.equals("STOP")) {
                    workers.stop();
                    synchronized (out) {
                        out.println("STOPPED");
                        out.flush();
                    }
                } else if (line.equals("DRAINED")) {
                    workers.drainInbound();
                    break;
                }
            }
            synchronized (out) {
                out.println("STATS ops=" + workers.operations.get() + " bytes=" + workers.bytes.get() + " errors="
                        + workers.errors.get() + " verified=" + workers.verified.get() + " handedOff="
                        + workers.handedOff.get() + " taken=" + workers.taken.get() + " owned="
                        + template.ownedBlockCount() + " fds=" + fdsBefore + "->" + ProcSelf.openFiles(dir)
                        + " maps=" + mapsBefore + "->" + ProcSelf.mappings(dir) + " samples=" + workers.errorSamples());
                out.flush();
            }
        }
    }
}
