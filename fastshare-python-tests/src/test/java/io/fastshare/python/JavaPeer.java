package io.fastshare.python;

import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.Janitor;
import io.fastshare.store.BlockDirectory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The Java side for the pytest suite (python/tests): runs the Java janitor on a block directory so
 * Python tests can check what Java concludes about Python writers.
 *
 * <pre>
 * JavaPeer states DIR     one line NAME=STATE per block
 * JavaPeer cleanup DIR    cleanup with a zero grace period; prints cleaned=N leases=M failed=F
 * JavaPeer hold DIR       writes two blocks, prints TOKEN lines and OWNER, then holds its lease until
 *                         standard input ends (or the process is killed)
 * </pre>
 */
public final class JavaPeer {

    private JavaPeer() {
    }

    /**
     * Runs one command.
     *
     * @param args command and block directory
     */
    public static void main(String[] args) throws java.io.IOException {
        if (args.length != 2) {
            System.err.println("usage: JavaPeer states|cleanup|hold DIR");
            System.exit(2);
        }
        if (args[0].equals("hold")) {
            hold(Path.of(args[1]));
            return;
        }
        Janitor janitor = new Janitor(BlockDirectory.existing(Path.of(args[1])), null, Clock.systemUTC());
        switch (args[0]) {
            case "states" -> {
                for (BlockInfo block : janitor.scan()) {
                    System.out.println(block.name() + "=" + block.state());
                }
            }
            case "cleanup" -> {
                CleanupResult result = janitor.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
                System.out.println("cleaned=" + result.cleaned().size() + " leases=" + result.leasesReclaimed().size()
                        + " failed=" + result.failed().size());
            }
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    private static void hold(Path directory) throws java.io.IOException {
        try (io.fastshare.SharedMemoryTemplate template = io.fastshare.SharedMemoryTemplate.builder().directory(directory)
                .threshold(0).poolSize(0).releaseOnClose(false).build()) { // block files: the janitor test lists them
            System.out.println("TOKEN " + template.write(new float[] {1, 2, 3}));
            System.out.println("TOKEN " + template.write("held by java"));
            System.out.println("OWNER " + template.ownerId().toHex());
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
