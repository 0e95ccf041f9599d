package io.fastshare.store.redis.testing;

import io.fastshare.codec.ContentPayloadReader;
import io.fastshare.codec.EncodedPayload;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.codec.RawCodec;
import io.fastshare.format.BlockDecoder;
import io.fastshare.format.BlockHeader;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.HeapBlockContent;
import io.fastshare.format.OwnerId;
import io.fastshare.format.PayloadChecksum;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Blocks of raw payloads for repository-level tests: planned like the template does, decoded like it does. */
public final class TestBlocks {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final OwnerId OWNER = OwnerId.random(RANDOM);

    private TestBlocks() {
    }

    /**
     * A planned block.
     *
     * @param name fresh random name
     * @param preamble the preamble
     * @param buffers its buffers
     */
    public record Planned(BlockName name, BlockPreamble preamble, List<PayloadBuffer> buffers) {
    }

    /**
     * Plans a block for a raw payload.
     *
     * @param payload a byte[], String or primitive array
     * @param ttl TTL, or null for none
     * @param checksum whether to add a payload checksum
     * @return the planned block
     */
    public static Planned plan(Object payload, Duration ttl, boolean checksum) {
        EncodedPayload encoded = new RawCodec().encode(payload);
        long now = System.currentTimeMillis();
        List<io.fastshare.format.BufferSpec> specs = new ArrayList<>();
        for (PayloadBuffer buffer : encoded.buffers()) {
            specs.add(buffer.spec());
        }
        BlockPreamble preamble = BlockPreamble.plan(RawCodec.ID, encoded.metadata(), specs, OWNER,
                ProcessHandle.current().pid(), now, ttl == null ? 0 : now + ttl.toMillis(), checksum);
        return new Planned(BlockName.random(RANDOM), preamble, encoded.buffers());
    }

    /**
     * Validates block bytes with the shared decoder and decodes the raw payload.
     *
     * @param bytes the block
     * @param type the expected type
     * @return the payload
     */
    public static Object decode(byte[] bytes, Class<?> type) {
        HeapBlockContent content = new HeapBlockContent(bytes);
        BlockHeader header = BlockDecoder.decodeHeader(content.all(), bytes.length, "test");
        BlockPreamble preamble = BlockDecoder.decodePreamble(header, content.all(), "test");
        PayloadChecksum.verify(preamble, content, "test");
        return new RawCodec().decode(new ContentPayloadReader(preamble, content, false), type);
    }

    /**
     * Returns a float array whose content depends on the seed.
     *
     * @param count number of floats
     * @param seed the seed
     * @return the array
     */
    public static float[] floats(int count, long seed) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((i * 31L + seed) % 100_003) / 7f;
        }
        return values;
    }
}
