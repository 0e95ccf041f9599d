package io.fastshare.format;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.cleanup.BlockInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Issue 12, item 8, run in a child JVM with {@code -Xmx200m}: plants a 268 MB sparse block file
 * (4 KiB real) whose header claims 256 MiB of codec metadata, then calls {@code read()} and
 * {@code blocks()}. With {@code good-crc} the header checksum is right, so the forgery reaches past the
 * checksum. Prints {@code READ <exception class>} and {@code BLOCKS <count or exception class>}.
 */
public final class ForgedSparseBlockMain {

    /** Metadata length the forged header claims. */
    static final int METADATA = 256 << 20;

    private ForgedSparseBlockMain() {
    }

    /**
     * Runs the forgery.
     *
     * @param args block directory, {@code good-crc} or {@code bad-crc}
     * @throws IOException when the file cannot be planted
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        boolean goodCrc = args[1].equals("good-crc");
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).build()) {
            String name = "FSHR_" + "ab".repeat(16);
            plant(dir.resolve(name), goodCrc);
            try {
                Object value = template.read("FSHR:shm:" + name, byte[].class);
                System.out.println("READ returned " + value);
            } catch (Throwable e) {
                System.out.println("READ " + e.getClass().getName() + " " + e.getMessage());
            }
            try {
                List<BlockInfo> blocks = template.blocks();
                System.out.println("BLOCKS " + blocks.size());
            } catch (Throwable e) {
                System.out.println("BLOCKS " + e.getClass().getName() + " " + e.getMessage());
            }
            template.release("FSHR:shm:" + name);
        }
    }

    static void plant(Path file, boolean goodCrc) throws IOException {
        long total = BlockLayout.HEADER_LENGTH + (long) METADATA;
        ByteBuffer header = ByteBuffer.allocate(BlockLayout.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(BlockLayout.MAGIC_OFFSET, BlockLayout.MAGIC);
        header.putShort(BlockLayout.VERSION_OFFSET, (short) BlockLayout.VERSION);
        header.putShort(BlockLayout.HEADER_LENGTH_OFFSET, (short) BlockLayout.HEADER_LENGTH);
        header.putLong(BlockLayout.TOTAL_LENGTH_OFFSET, total);
        header.putLong(BlockLayout.CREATED_OFFSET, System.currentTimeMillis());
        header.putLong(BlockLayout.OWNER_OFFSET, 42);
        header.putLong(BlockLayout.PID_OFFSET, 1);
        header.putInt(BlockLayout.BUFFER_COUNT_OFFSET, 0);
        header.putInt(BlockLayout.METADATA_LENGTH_OFFSET, METADATA);
        header.putLong(BlockLayout.METADATA_OFFSET_OFFSET, BlockLayout.HEADER_LENGTH);
        header.put(BlockLayout.CODEC_ID_OFFSET, "raw".getBytes(StandardCharsets.US_ASCII));
        int crc = 12345;
        if (goodCrc) {
            CRC32C checksum = new CRC32C();
            BlockPreamble.updateHeaderCrc(checksum, header, BlockLayout.HEADER_LENGTH);
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (int i = 0; i < METADATA >> 20; i++) {
                checksum.update(zeros.clear());
            }
            crc = (int) checksum.getValue();
        }
        header.putInt(BlockLayout.HEADER_CRC_OFFSET, crc);
        header.putInt(BlockLayout.COMMIT_OFFSET, BlockLayout.COMMITTED);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(header, 0);
            channel.write(ByteBuffer.allocate(1), total - 1);
        }
    }
}
