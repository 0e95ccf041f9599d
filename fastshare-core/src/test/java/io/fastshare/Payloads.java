package io.fastshare;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Deterministic test payloads of every raw type, shared by in-process and cross-process tests. */
public final class Payloads {

    /** The raw kinds. */
    public static final List<String> KINDS = List.of("byte[]", "ByteBuffer", "String", "short[]", "char[]", "int[]",
            "long[]", "float[]", "double[]");

    private Payloads() {
    }

    /**
     * Makes a payload of roughly {@code bytes} encoded bytes.
     *
     * @param kind one of {@link #KINDS}
     * @param bytes size in bytes
     * @param seed random seed
     * @return the payload
     */
    public static Object make(String kind, int bytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        switch (kind) {
            case "byte[]": {
                byte[] a = new byte[bytes];
                fill(a, random);
                return a;
            }
            case "ByteBuffer": {
                byte[] a = new byte[bytes];
                fill(a, random);
                return ByteBuffer.wrap(a);
            }
            case "String": {
                StringBuilder s = new StringBuilder(bytes);
                while (s.length() < bytes) {
                    s.append(random.nextInt(10) == 0 ? 'é' : (char) ('a' + random.nextInt(26)));
                }
                return s.substring(0, bytes);
            }
            case "short[]": {
                short[] a = new short[bytes / 2];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (short) random.nextInt();
                }
                return a;
            }
            case "char[]": {
                char[] a = new char[bytes / 2];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (char) random.nextInt();
                }
                return a;
            }
            case "int[]": {
                int[] a = new int[bytes / 4];
                for (int i = 0; i < a.length; i++) {
                    a[i] = random.nextInt();
                }
                return a;
            }
            case "long[]": {
                long[] a = new long[bytes / 8];
                for (int i = 0; i < a.length; i++) {
                    a[i] = random.nextLong();
                }
                return a;
            }
            case "float[]": {
                float[] a = new float[bytes / 4];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) random.nextDouble() * i;
                }
                return a;
            }
            case "double[]": {
                double[] a = new double[bytes / 8];
                for (int i = 0; i < a.length; i++) {
                    a[i] = random.nextDouble() * i;
                }
                return a;
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /**
     * Returns the type a reader asks for.
     *
     * @param kind the kind
     * @return the declared Java type
     */
    public static Class<?> type(String kind) {
        return switch (kind) {
            case "byte[]" -> byte[].class;
            case "ByteBuffer" -> ByteBuffer.class;
            case "String" -> String.class;
            case "short[]" -> short[].class;
            case "char[]" -> char[].class;
            case "int[]" -> int[].class;
            case "long[]" -> long[].class;
            case "float[]" -> float[].class;
            case "double[]" -> double[].class;
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static void fill(byte[] a, SplittableRandom random) {
        for (int i = 0; i < a.length; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < a.length; j++) {
                a[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }

    /**
     * Asserts two payloads of a kind are equal.
     *
     * @param kind the kind
     * @param expected the original
     * @param actual what was read
     */
    public static void assertSame(String kind, Object expected, Object actual) {
        assertThat(actual).isNotNull();
        if (kind.equals("ByteBuffer")) {
            assertThat(((ByteBuffer) actual).duplicate().rewind()).isEqualTo(((ByteBuffer) expected).duplicate().rewind());
        } else if (kind.equals("String")) {
            assertThat(((String) actual).getBytes(StandardCharsets.UTF_8)).isEqualTo(((String) expected).getBytes(StandardCharsets.UTF_8));
        } else {
            assertThat(java.util.Objects.deepEquals(expected, actual)).as("%s content equal", kind).isTrue();
        }
    }
}
