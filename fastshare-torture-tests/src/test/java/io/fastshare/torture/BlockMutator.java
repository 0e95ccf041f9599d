package io.fastshare.torture;

import io.fastshare.format.BlockLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Makes mutants of valid blocks: bit flips, truncation at every header, table, metadata and buffer
 * boundary, fields set to 0, -1, huge and past-the-end values, overlapping buffers, wrong commit
 * states, bad codec ids and metadata, consistent retyping. Most mutants then get their header
 * checksum recomputed, so they reach the validators behind the checksum.
 *
 * <p>Deterministic for a given random source. Not thread-safe.
 */
final class BlockMutator {

    /**
     * A mutated block and how it was made.
     *
     * @param bytes the mutated block
     * @param description how it was made, for reports
     * @param damage what the mutation changed, compared with the base
     * @param base index of the base block in the list given to the mutator, -1 for systematic mutants
     */
    record Mutant(byte[] bytes, String description, MutantDamage damage, int base) {
    }

    /** Header fields as (offset, width). */
    private static final int[][] HEADER_FIELDS = {
        {BlockLayout.MAGIC_OFFSET, 4}, {BlockLayout.VERSION_OFFSET, 2}, {BlockLayout.HEADER_LENGTH_OFFSET, 2},
        {BlockLayout.COMMIT_OFFSET, 4}, {BlockLayout.FLAGS_OFFSET, 4}, {BlockLayout.TOTAL_LENGTH_OFFSET, 8},
        {BlockLayout.CREATED_OFFSET, 8}, {BlockLayout.EXPIRES_OFFSET, 8}, {BlockLayout.OWNER_OFFSET, 8},
        {BlockLayout.OWNER_OFFSET + 8, 8}, {BlockLayout.PID_OFFSET, 8}, {BlockLayout.BUFFER_COUNT_OFFSET, 4},
        {BlockLayout.METADATA_LENGTH_OFFSET, 4}, {BlockLayout.METADATA_OFFSET_OFFSET, 8},
        {BlockLayout.PAYLOAD_CRC_OFFSET, 4}, {BlockLayout.HEADER_CRC_OFFSET, 4}, {BlockLayout.CODEC_ID_OFFSET, 8},
        {BlockLayout.CODEC_ID_OFFSET + 8, 8}, {BlockLayout.RESERVED_OFFSET, 8}, {BlockLayout.RESERVED_OFFSET + 16, 8},
    };

    /** Buffer-table entry fields as (relative offset, width). */
    private static final int[][] ENTRY_FIELDS = {
        {BlockLayout.ENTRY_OFFSET, 8}, {BlockLayout.ENTRY_LENGTH, 8}, {BlockLayout.ENTRY_ELEMENT_TYPE, 1},
        {BlockLayout.ENTRY_RANK, 1}, {BlockLayout.ENTRY_SHAPE, 8}, {BlockLayout.ENTRY_SHAPE + 8, 8},
        {BlockLayout.ENTRY_SHAPE + 16, 8}, {BlockLayout.ENTRY_SHAPE + 24, 8}, {BlockLayout.ENTRY_RESERVED, 8},
    };

    private static final String[] CODEC_IDS = {"", "nope", "RAW", "raw ", " raw", "raw\u0000x", "multi\u0001",
        "\u00ff\u00fe", "ra", "rawraw", "jackson", "java-serial", "0123456789abcdef", "multi", "raw"};

    private final SplittableRandom random;
    private final List<byte[]> bases;

    BlockMutator(SplittableRandom random, List<byte[]> bases) {
        this.random = random;
        this.bases = bases;
    }

    /**
     * Makes one mutant of a random base block: one to three mutations, then usually a recomputed
     * header checksum.
     *
     * @return the mutant
     */
    Mutant next() {
        int baseIndex = random.nextInt(bases.size());
        byte[] block = bases.get(baseIndex).clone();
        StringBuilder description = new StringBuilder("base#").append(baseIndex).append('(').append(block.length)
                .append("B)");
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            block = mutateOnce(block, description);
        }
        if (random.nextInt(100) < 85 && HeaderChecksum.recompute(block)) {
            description.append(" +crc");
        }
        MutantDamage damage = MutantDamage.of(bases.get(baseIndex), block);
        return new Mutant(block, description.append(' ').append(damage).toString(), damage, baseIndex);
    }

    /**
     * Makes the systematic mutants of one base block: truncation at every boundary (as is, and with
     * the total length and header checksum fixed), and every header field and the fields of the first
     * four table entries set to each of the interesting values, with the header checksum recomputed.
     *
     * @param base a valid block
     * @param label name of the base, for descriptions
     * @return the mutants
     */
    static List<Mutant> systematic(byte[] base, String label) {
        List<Mutant> mutants = new ArrayList<>();
        for (int cut : boundaries(base)) {
            mutants.add(mutant(base, Arrays.copyOf(base, cut), label + " truncate@" + cut));
            byte[] fixed = Arrays.copyOf(base, cut);
            put(fixed, BlockLayout.TOTAL_LENGTH_OFFSET, 8, cut);
            HeaderChecksum.recompute(fixed);
            mutants.add(mutant(base, fixed, label + " truncate+total+crc@" + cut));
        }
        List<int[]> fields = new ArrayList<>(Arrays.asList(HEADER_FIELDS));
        for (int i = 0; i < Math.min(4, bufferCount(base)); i++) {
            int entry = (int) BlockLayout.entryOffset(i);
            for (int[] field : ENTRY_FIELDS) {
                fields.add(new int[] {entry + field[0], field[1]});
            }
        }
        for (int[] field : fields) {
            for (long value : interestingValues(base)) {
                byte[] block = base.clone();
                long masked = value & (field[1] == 8 ? -1L : (1L << (8 * field[1])) - 1);
                put(block, field[0], field[1], masked);
                HeaderChecksum.recompute(block);
                mutants.add(mutant(base, block, label + " field@" + field[0] + "=" + masked + " +crc"));
            }
        }
        return mutants;
    }

    private static Mutant mutant(byte[] base, byte[] block, String description) {
        MutantDamage damage = MutantDamage.of(base, block);
        return new Mutant(block, description + " " + damage, damage, -1);
    }

    private static long[] interestingValues(byte[] block) {
        return new long[] {0, 1, -1, 63, 64, 65, 127, 128, 255, Integer.MAX_VALUE, 1L << 31, 1L << 32,
            (1L << 32) - 1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 63, 1L << 40, block.length,
            block.length - 1L, block.length + 1L, block.length + 64L, 2L * block.length, preambleLength(block),
            BlockLayout.align(preambleLength(block))};
    }

    private byte[] mutateOnce(byte[] block, StringBuilder description) {
        int kind = random.nextInt(16);
        switch (kind) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                int limit = random.nextBoolean() ? Math.min(block.length, preambleLength(block)) : block.length;
                for (int i = 0; i < flips && limit > 0; i++) {
                    int bit = random.nextInt(limit * 8);
                    block[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                description.append(" flip").append(flips);
            }
            case 1 -> {
                if (block.length > 0) {
                    int at = random.nextInt(block.length);
                    block[at] = (byte) random.nextInt(256);
                    description.append(" byte@").append(at);
                }
            }
            case 2, 3 -> {
                int[] field = HEADER_FIELDS[random.nextInt(HEADER_FIELDS.length)];
                long value = interesting(block, field[1]);
                put(block, field[0], field[1], value);
                description.append(" hdr@").append(field[0]).append('=').append(value);
            }
            case 4, 5 -> {
                int count = Math.max(1, Math.min(bufferCount(block), 8));
                int entry = (int) BlockLayout.entryOffset(random.nextInt(count));
                int[] field = ENTRY_FIELDS[random.nextInt(ENTRY_FIELDS.length)];
                long value = interesting(block, field[1]);
                put(block, entry + field[0], field[1], value);
                description.append(" entry@").append(entry + field[0]).append('=').append(value);
            }
            case 6 -> {
                List<Integer> cuts = new ArrayList<>(boundaries(block));
                int cut = cuts.get(random.nextInt(cuts.size()));
                block = Arrays.copyOf(block, cut);
                description.append(" truncate@").append(cut);
            }
            case 7 -> {
                List<Integer> cuts = new ArrayList<>(boundaries(block));
                int cut = cuts.get(random.nextInt(cuts.size()));
                block = Arrays.copyOf(block, cut);
                put(block, BlockLayout.TOTAL_LENGTH_OFFSET, 8, cut);
                description.append(" truncate+total@").append(cut);
            }
            case 8 -> {
                int extra = random.nextBoolean() ? 64 * (1 + random.nextInt(4)) : 1 + random.nextInt(200);
                block = Arrays.copyOf(block, block.length + extra);
                put(block, BlockLayout.TOTAL_LENGTH_OFFSET, 8, block.length);
                description.append(" extend+").append(extra);
            }
            case 9 -> overlap(block, description);
            case 10 -> {
                int[] states = {BlockLayout.WRITING, Integer.reverseBytes(BlockLayout.COMMITTED),
                    BlockLayout.COMMITTED ^ 1, -1, random.nextInt()};
                int state = states[random.nextInt(states.length)];
                put(block, BlockLayout.COMMIT_OFFSET, 4, state);
                description.append(" commit=").append(Integer.toHexString(state));
            }
            case 11 -> {
                String id = CODEC_IDS[random.nextInt(CODEC_IDS.length)];
                byte[] bytes = Arrays.copyOf(id.getBytes(StandardCharsets.ISO_8859_1), BlockLayout.CODEC_ID_LENGTH);
                if (block.length >= BlockLayout.CODEC_ID_OFFSET + BlockLayout.CODEC_ID_LENGTH) {
                    System.arraycopy(bytes, 0, block, BlockLayout.CODEC_ID_OFFSET, bytes.length);
                }
                description.append(" codec='").append(id.replace('\u0000', '0')).append('\'');
            }
            case 12 -> mutateMetadata(block, description);
            case 13 -> {
                int start = Math.min(block.length, preambleLength(block));
                if (block.length > start) {
                    int at = start + random.nextInt(block.length - start);
                    block[at] ^= (byte) (1 + random.nextInt(255));
                    description.append(" payload@").append(at);
                }
            }
            case 14 -> {
                if (block.length >= BlockLayout.HEADER_LENGTH) {
                    int count = random.nextInt(5);
                    put(block, BlockLayout.BUFFER_COUNT_OFFSET, 4, count);
                    put(block, BlockLayout.METADATA_OFFSET_OFFSET, 8, BlockLayout.entryOffset(count));
                    description.append(" count=").append(count);
                }
            }
            default -> retype(block, description);
        }
        return block;
    }

    private void overlap(byte[] block, StringBuilder description) {
        int count = bufferCount(block);
        if (count < 2 || block.length < BlockLayout.entryOffset(count)) {
            put(block, (int) BlockLayout.entryOffset(0) + BlockLayout.ENTRY_OFFSET, 8, random.nextInt(3) * 64L);
            description.append(" overlap-preamble");
            return;
        }
        int i = 1 + random.nextInt(count - 1);
        ByteBuffer in = le(block);
        long previous = in.getLong((int) BlockLayout.entryOffset(i - 1) + BlockLayout.ENTRY_OFFSET);
        long previousLength = in.getLong((int) BlockLayout.entryOffset(i - 1) + BlockLayout.ENTRY_LENGTH);
        long[] choices = {previous, previous + 64, BlockLayout.align(previous + previousLength) - 64, 0};
        long offset = choices[random.nextInt(choices.length)];
        put(block, (int) BlockLayout.entryOffset(i) + BlockLayout.ENTRY_OFFSET, 8, offset);
        description.append(" overlap#").append(i).append('=').append(offset);
    }

    private void mutateMetadata(byte[] block, StringBuilder description) {
        int count = bufferCount(block);
        long start = BlockLayout.entryOffset(count);
        int length = block.length >= BlockLayout.HEADER_LENGTH
                ? le(block).getInt(BlockLayout.METADATA_LENGTH_OFFSET) : 0;
        if (length <= 0 || start + length > block.length) {
            return;
        }
        String[] tags = {"float[]", "byte[]", "String", "double[]", "ByteBuffer", "int[]", "{\"a\":", "multi:v1:{",
            "\u0000\u0000", "null"};
        byte[] replacement = random.nextBoolean()
                ? tags[random.nextInt(tags.length)].getBytes(StandardCharsets.ISO_8859_1)
                : randomBytes(length);
        for (int i = 0; i < length; i++) {
            block[(int) start + i] = i < replacement.length ? replacement[i] : (byte) ' ';
        }
        description.append(" metadata");
    }

    private void retype(byte[] block, StringBuilder description) {
        if (bufferCount(block) < 1 || block.length < BlockLayout.entryOffset(1)) {
            return;
        }
        int entry = (int) BlockLayout.entryOffset(0);
        ByteBuffer in = le(block);
        long length = in.getLong(entry + BlockLayout.ENTRY_LENGTH);
        int[][] types = {{0, 1}, {1, 1}, {2, 1}, {3, 2}, {4, 4}, {5, 8}, {6, 4}, {7, 8}, {8, 2}};
        int[] type = types[random.nextInt(types.length)];
        if (length % type[1] != 0) {
            return;
        }
        in.put(entry + BlockLayout.ENTRY_ELEMENT_TYPE, (byte) type[0]);
        in.put(entry + BlockLayout.ENTRY_RANK, (byte) 1);
        in.putLong(entry + BlockLayout.ENTRY_SHAPE, length / type[1]);
        description.append(" retype=").append(type[0]);
    }

    /** Every offset where a header field, table entry, metadata or buffer begins or ends. */
    private static TreeSet<Integer> boundaries(byte[] block) {
        TreeSet<Integer> cuts = new TreeSet<>();
        cuts.add(0);
        cuts.add(1);
        for (int[] field : HEADER_FIELDS) {
            cuts.add(field[0]);
            cuts.add(field[0] + field[1]);
        }
        cuts.add(BlockLayout.HEADER_LENGTH);
        int count = Math.min(bufferCount(block), 64);
        ByteBuffer in = le(block);
        for (int i = 0; i < count; i++) {
            int entry = (int) BlockLayout.entryOffset(i);
            for (int[] field : ENTRY_FIELDS) {
                cuts.add(entry + field[0]);
            }
            cuts.add(entry + BlockLayout.TABLE_ENTRY_LENGTH);
            if (entry + BlockLayout.TABLE_ENTRY_LENGTH <= block.length) {
                long offset = in.getLong(entry + BlockLayout.ENTRY_OFFSET);
                long length = in.getLong(entry + BlockLayout.ENTRY_LENGTH);
                if (offset >= 0 && offset < block.length) {
                    cuts.add((int) offset);
                    if (length >= 0 && offset + length <= block.length) {
                        cuts.add((int) (offset + length));
                        cuts.add((int) (offset + length) - 1);
                    }
                }
            }
        }
        cuts.add(preambleLength(block));
        cuts.add(block.length - 1);
        cuts.removeIf(cut -> cut < 0 || cut >= block.length);
        if (cuts.isEmpty()) {
            cuts.add(0);
        }
        return cuts;
    }

    private long interesting(byte[] block, int width) {
        long[] values = interestingValues(block);
        long value = random.nextInt(values.length + 1) == values.length ? random.nextLong()
                : values[random.nextInt(values.length)];
        return value & (width == 8 ? -1L : (1L << (8 * width)) - 1);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static int bufferCount(byte[] block) {
        if (block.length < BlockLayout.HEADER_LENGTH) {
            return 0;
        }
        int count = le(block).getInt(BlockLayout.BUFFER_COUNT_OFFSET);
        return count < 0 || count > 1024 ? 0 : count;
    }

    private static int preambleLength(byte[] block) {
        if (block.length < BlockLayout.HEADER_LENGTH) {
            return BlockLayout.HEADER_LENGTH;
        }
        long length = BlockLayout.entryOffset(bufferCount(block))
                + Math.max(0, le(block).getInt(BlockLayout.METADATA_LENGTH_OFFSET));
        return (int) Math.min(length, Integer.MAX_VALUE);
    }

    private static void put(byte[] block, int offset, int width, long value) {
        if (offset < 0 || offset + width > block.length) {
            return;
        }
        for (int i = 0; i < width; i++) {
            block[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private static ByteBuffer le(byte[] block) {
        return ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    }
}
