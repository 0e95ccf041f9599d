package io.fastshare.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * The Java analogue of pickle: {@link ObjectOutputStream} to a byte array and back. Stateless and
 * thread-safe.
 */
public final class ObjectStreams {

    private ObjectStreams() {
    }

    /**
     * Serialises a value to bytes.
     *
     * @param value a serialisable value (arrays are)
     * @return the stream bytes
     * @throws UncheckedIOException never in practice: the target is memory
     */
    public static byte[] serialize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Deserialises bytes written by {@link #serialize}.
     *
     * @param bytes the stream bytes
     * @return the value
     * @throws UncheckedIOException when the bytes are not a valid stream
     */
    public static Object deserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serialises and deserialises a value: the round trip a pickle user pays.
     *
     * @param value the value
     * @return an equal copy
     */
    public static Object roundTrip(Object value) {
        return deserialize(serialize(value));
    }
}
