package io.fastshare.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Unmaps a {@code MappedByteBuffer} at once instead of waiting for the garbage collector. A deleted
 * block file keeps its shared memory until the last mapping is gone, so deterministic unmapping is
 * what returns memory promptly.
 *
 * <p>On JDK 17 to 21 the only way is {@code sun.misc.Unsafe.invokeCleaner} from the
 * {@code jdk.unsupported} module (readable without {@code --add-opens}), the technique Lucene's
 * MMapDirectory used on those releases. Its danger is the same as Lucene's: touching the buffer, or
 * any view of it, after unmapping crashes the JVM. Callers unmap only on an explicit close and
 * document that views die with the handle. Where the method is not available, mappings are left to
 * the garbage collector and this is logged once.
 *
 * <p>Thread-safe.
 */
public final class Unmapper {

    private static final Logger log = LoggerFactory.getLogger(Unmapper.class);
    private static final MethodHandle INVOKE_CLEANER = lookupCleaner();

    private Unmapper() {
    }

    private static MethodHandle lookupCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("fastshare cannot unmap shared memory eagerly on this JVM ({}); mappings are released "
                    + "by the garbage collector", e.toString());
            return null;
        }
    }

    /**
     * Tells whether eager unmapping is available.
     *
     * @return true when {@link #unmap} releases mappings at once
     */
    public static boolean isSupported() {
        return INVOKE_CLEANER != null;
    }

    /**
     * Unmaps a direct buffer obtained from {@code FileChannel.map}. The buffer and all its views must
     * never be touched again.
     *
     * @param buffer the mapping (not a slice or duplicate of it)
     */
    public static void unmap(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null || buffer == null || !buffer.isDirect()) {
            return;
        }
        try {
            INVOKE_CLEANER.invokeExact(buffer);
        } catch (Throwable e) {
            log.debug("unmapping failed; the garbage collector will release the mapping", e);
        }
    }
}
