package io.fastshare.codec;

import io.fastshare.SharedMemoryTemplate;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 12, item 7, run in a child JVM with {@code -Xmx256m}: many threads (virtual on JDK 21+) each
 * read a 1 KiB block (every tenth also a 200 KiB one), and stay alive until all have read, so
 * per-thread scratch buffers would all be held at once. Prints {@code ERRORS <n> <first error>} and
 * {@code DIRECT <bytes of direct memory in use while all threads are alive>}.
 */
public final class ConcurrentReadersMain {

    private ConcurrentReadersMain() {
    }

    /**
     * Runs the readers.
     *
     * @param args block directory, thread count, {@code virtual} or {@code platform}
     * @throws Exception on a setup failure
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        boolean virtual = args[2].equals("virtual");
        AtomicInteger errors = new AtomicInteger();
        StringBuilder first = new StringBuilder();
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).build()) {
            String small = template.write(new byte[1024]);
            String larger = template.write(new byte[200 * 1024]);
            CountDownLatch read = new CountDownLatch(threads);
            CountDownLatch finish = new CountDownLatch(1);
            ExecutorService executor = virtual
                    ? (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null)
                    : Executors.newFixedThreadPool(threads);
            for (int i = 0; i < threads; i++) {
                boolean both = i % 10 == 0;
                executor.execute(() -> {
                    try {
                        template.read(small, byte[].class);
                        if (both) {
                            template.read(larger, byte[].class);
                        }
                    } catch (Throwable e) {
                        if (errors.getAndIncrement() == 0) {
                            synchronized (first) {
                                first.append(e);
                            }
                        }
                    } finally {
                        read.countDown();
                    }
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            read.await(5, TimeUnit.MINUTES);
            long direct = 0;
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    direct = pool.getMemoryUsed();
                }
            }
            finish.countDown();
            executor.shutdown();
            executor.awaitTermination(1, TimeUnit.MINUTES);
            template.release(small);
            template.release(larger);
            synchronized (first) {
                System.out.println("ERRORS " + errors.get() + " " + first);
            }
            System.out.println("DIRECT " + direct);
        }
    }
}
