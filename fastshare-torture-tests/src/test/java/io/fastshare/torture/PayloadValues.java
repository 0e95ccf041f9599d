package io.fastshare.torture;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Content equality of decoded payloads: arrays element by element, buffers by their remaining bytes,
 * {@link MultiBufferCodec.Multi} by specs and contents. Stateless.
 */
final class PayloadValues {

    private PayloadValues() {
    }

    /**
     * Compares two decoded payloads by content.
     *
     * @param expected the value of the intact block
     * @param actual the value a reader returned
     * @return true when both hold the same data
     */
    static boolean same(Object expected, Object actual) {
        if (expected instanceof MultiBufferCodec.Multi a && actual instanceof MultiBufferCodec.Multi b) {
            if (!a.specs().equals(b.specs()) || a.contents().size() != b.contents().size()) {
                return false;
            }
            for (int i = 0; i < a.contents().size(); i++) {
                if (!Arrays.equals(a.contents().get(i), b.contents().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof ByteBuffer a && actual instanceof ByteBuffer b) {
            return a.duplicate().rewind().equals(b.duplicate().rewind());
        }
        return Objects.deepEquals(expected, actual);
    }
}
