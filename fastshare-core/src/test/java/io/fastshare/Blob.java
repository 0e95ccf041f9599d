package io.fastshare;

/**
 * A test payload type with its own codec ({@link CountingCodec}).
 *
 * @param label a label
 * @param data the bytes
 */
public record Blob(String label, byte[] data) {
}
