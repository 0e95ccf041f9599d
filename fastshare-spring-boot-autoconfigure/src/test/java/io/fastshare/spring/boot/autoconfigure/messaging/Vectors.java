package io.fastshare.spring.boot.autoconfigure.messaging;

/**
 * A test payload: an id and a float array (which the JSON codec moves out of band).
 *
 * @param id the id
 * @param values the values
 */
public record Vectors(String id, float[] values) {

    /**
     * Makes a payload of n floats whose values are their indexes modulo 1000.
     *
     * @param id the id
     * @param n the number of floats
     * @return the payload
     */
    public static Vectors of(String id, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 1000;
        }
        return new Vectors(id, values);
    }

    /**
     * Returns the sum of the values, the checksum the tests compare.
     *
     * @return the sum
     */
    public double sum() {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum;
    }
}
