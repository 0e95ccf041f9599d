package io.fastshare.torture;

import io.fastshare.Payloads;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.WriteOptions;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;
import io.fastshare.token.Token;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Valid blocks to mutate, made by the library itself: every raw type at sizes from empty to 64 KiB,
 * with and without payload checksum, plus multi-buffer blocks of the {@link MultiBufferCodec} with
 * every element type and ranks 1 to 4. Taken from inline tokens, which carry the very bytes of a
 * block file.
 *
 * <p>Stateless.
 */
final class BaseBlocks {

    private BaseBlocks() {
    }

    /**
     * Writes the base payloads inline and returns their block bytes.
     *
     * @param template a template with {@link MultiBufferCodec} registered
     * @param random seeded source
     * @return the blocks
     */
    static List<byte[]> make(SharedMemoryTemplate template, SplittableRandom random) {
        List<byte[]> blocks = new ArrayList<>();
        int[] sizes = {0, 1, 7, 64, 100, 1000, 4096, 65_537};
        for (String kind : Payloads.KINDS) {
            for (int size : sizes) {
                for (boolean checksum : new boolean[] {false, true}) {
                    Object payload = Payloads.make(kind, size, random.nextLong());
                    blocks.add(inlineBytes(template.write(payload, WriteOptions.defaults().inline().checksum(checksum))));
                }
            }
        }
        for (int i = 0; i < 24; i++) {
            blocks.add(inlineBytes(template.write(multi(random),
                    WriteOptions.defaults().inline().checksum(random.nextBoolean()))));
        }
        return blocks;
    }

    /**
     * Reads every base block back through an inline token: the values the intact blocks stand for.
     *
     * @param template a template with {@link MultiBufferCodec} registered
     * @param bases the blocks from {@link #make}
     * @return their values, in the same order
     */
    static List<Object> values(SharedMemoryTemplate template, List<byte[]> bases) {
        List<Object> values = new ArrayList<>(bases.size());
        for (byte[] base : bases) {
            values.add(template.read(inlineToken(base)));
        }
        return values;
    }

    /**
     * Makes a random multi-buffer payload.
     *
     * @param random seeded source
     * @return the payload
     */
    static MultiBufferCodec.Multi multi(SplittableRandom random) {
        int count = 1 + random.nextInt(4);
        List<BufferSpec> specs = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        ElementType[] types = ElementType.values();
        for (int b = 0; b < count; b++) {
            ElementType type = types[random.nextInt(types.length)];
            int rank = 1 + random.nextInt(4);
            long[] shape = new long[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = random.nextInt(6);
                elements *= shape[d];
            }
            byte[] content = new byte[(int) (elements * type.size())];
            random.nextBytes(content);
            specs.add(new BufferSpec(type, shape));
            contents.add(content);
        }
        return new MultiBufferCodec.Multi(specs, contents);
    }

    /**
     * Decodes an inline token to its block bytes.
     *
     * @param token an inline token
     * @return the block
     */
    static byte[] inlineBytes(String token) {
        if (!token.startsWith(Token.INLINE_PREFIX)) {
            throw new IllegalStateException("expected an inline token: " + Token.abbreviate(token));
        }
        return Base64.getUrlDecoder().decode(token.substring(Token.INLINE_PREFIX.length()));
    }

    /**
     * Encodes block bytes as an inline token.
     *
     * @param block the block
     * @return the token
     */
    static String inlineToken(byte[] block) {
        return Token.INLINE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(block);
    }
}
