package io.fastshare.codec;

import java.util.Arrays;

/**
 * A user type with its own codec ({@link PointsCodec}).
 *
 * @param label a label
 * @param xs x coordinates
 * @param ys y coordinates, as many as {@code xs}
 */
public record Points(String label, int[] xs, int[] ys) {

    /**
     * Returns a digest of the content, to compare across processes.
     *
     * @return label and a hash of the coordinates
     */
    public String digest() {
        return label + ":" + xs.length + ":" + Arrays.hashCode(xs) + ":" + Arrays.hashCode(ys);
    }

    /**
     * Makes points.
     *
     * @param label the label
     * @param n how many
     * @return the points
     */
    public static Points make(String label, int n) {
        int[] xs = new int[n];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i * 31 + label.length();
            ys[i] = -i * 17;
        }
        return new Points(label, xs, ys);
    }
}
