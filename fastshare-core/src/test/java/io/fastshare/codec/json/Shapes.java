package io.fastshare.codec.json;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.List;
import java.util.Map;

/** Test payload types that nest arrays and buffers in records, POJOs, lists and maps. */
final class Shapes {

    private Shapes() {
    }

    /** A record with arrays in a list and a map, and a nested record. */
    record Frame(String name, List<float[]> channels, Map<String, int[]> labels, Tile tile) {
    }

    /** A nested record with a small and a large array. */
    record Tile(short[] small, long[] large, char[] text) {
    }

    /** A record with NIO buffer fields, read as views inside open(). */
    record Buffers(ByteBuffer raw, FloatBuffer floats, IntBuffer ints) {
    }

    /** A POJO with a byte array and a double array. */
    static final class Pojo {
        private String title;
        private byte[] data;
        private double[] values;

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }

        public byte[] getData() {
            return data;
        }

        public void setData(byte[] data) {
            this.data = data;
        }

        public double[] getValues() {
            return values;
        }

        public void setValues(double[] values) {
            this.values = values;
        }
    }

    /** A record whose field is a class the allow-list may not name. */
    record Outer(String label, Inner inner) {
    }

    /** Nested class of {@link Outer}. */
    record Inner(int value) {
    }
}
