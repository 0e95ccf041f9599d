package io.fastshare.python;

import io.fastshare.testing.ChildJvm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Starts Python processes for cross-language tests: the machine's {@code python3} (system property
 * {@code python.executable}) with the package from {@code python/} on its path, running the peer script
 * {@code src/test/python/peer.py} or a test script of the package. Not thread-safe; stateless helpers.
 */
final class Python {

    private Python() {
    }

    /** The repository's {@code python/} folder. */
    static Path packageDir() {
        String configured = System.getProperty("python.package.dir");
        return Path.of(configured != null ? configured : "../python").toAbsolutePath().normalize();
    }

    /** The peer script. */
    static Path peer() {
        String configured = System.getProperty("python.peer");
        return Path.of(configured != null ? configured : "src/test/python/peer.py").toAbsolutePath();
    }

    /**
     * Starts {@code python3 <script> <args>} with {@code FASTSHARE_DIRECTORY} set to a block directory.
     *
     * @param directory the block directory
     * @param script the script
     * @param args its arguments
     * @return the running process
     */
    static ChildJvm start(Path directory, Path script, String... args) {
        if (!Files.isRegularFile(script)) {
            throw new AssertionError("missing Python script " + script);
        }
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("python.executable", "python3"));
        command.add(script.toString());
        command.addAll(List.of(args));
        return ChildJvm.startCommand(command, Map.of("PYTHONPATH", packageDir().toString(), "FASTSHARE_DIRECTORY",
                directory.toString(), "PYTHONDONTWRITEBYTECODE", "1"));
    }

    /** SHA-256 (hex) of bytes. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Little-endian bytes of a primitive array, as a numpy array holds them. */
    static byte[] littleEndian(Object array) {
        ByteBuffer out;
        if (array instanceof float[] a) {
            out = allocate(a.length * 4L);
            out.asFloatBuffer().put(a);
        } else if (array instanceof double[] a) {
            out = allocate(a.length * 8L);
            out.asDoubleBuffer().put(a);
        } else if (array instanceof int[] a) {
            out = allocate(a.length * 4L);
            out.asIntBuffer().put(a);
        } else if (array instanceof long[] a) {
            out = allocate(a.length * 8L);
            out.asLongBuffer().put(a);
        } else if (array instanceof short[] a) {
            out = allocate(a.length * 2L);
            out.asShortBuffer().put(a);
        } else if (array instanceof char[] a) {
            out = allocate(a.length * 2L);
            out.asCharBuffer().put(a);
        } else if (array instanceof byte[] a) {
            return a;
        } else {
            throw new IllegalArgumentException(array.getClass().getName());
        }
        return out.array();
    }

    private static ByteBuffer allocate(long bytes) {
        return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
