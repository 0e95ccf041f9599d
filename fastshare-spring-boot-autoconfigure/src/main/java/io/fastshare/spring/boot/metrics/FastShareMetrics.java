package io.fastshare.spring.boot.metrics;

import io.fastshare.FastShareException;
import io.fastshare.FastShareListener;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.store.pool.BlockPool;
import io.fastshare.store.pool.PoolBlockStore;
import io.fastshare.TransferPath;
import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.spring.boot.cleanup.BlockScan;
import io.fastshare.spring.boot.cleanup.CleanupResultListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Publishes fastshare's meters to Micrometer. As a {@link FastShareListener} registered on the template
 * builder it counts and times writes and reads; as a {@link MeterBinder} it registers those meters and
 * the gauges that read the template's state on every scrape.
 *
 * <p>Meters (all under {@code fastshare.}, no per-token tags):
 * <ul>
 *   <li>{@code fastshare.write}, {@code fastshare.read}: timers tagged {@code path} and {@code outcome}
 *       (success, failure); their count is the number of operations, so there is no separate counter.
 *       Writes take the paths {@code shm}, {@code inline} and {@code fallback}; reads only {@code shm} and
 *       {@code inline} (a fallback token is an inline token to its reader). Failures are tagged
 *       {@code path=unknown}: the template does not report which path failed;</li>
 *   <li>{@code fastshare.blocks.live}: blocks this process owns; {@code fastshare.blocks.live.size}:
 *       their bytes; {@code fastshare.storage.free}: bytes free in the block directory's filesystem;</li>
 *   <li>{@code fastshare.blocks.orphaned}: orphan blocks (orphaned, incomplete, expired) of any process
 *       found by the latest scan of the directory (NaN before the first scan);</li>
 *   <li>{@code fastshare.cleanup.reclaimed}: counter of blocks reclaimed by cleanup, tagged
 *       {@code reason} (expired, orphaned, incomplete, corrupt).</li>
 * </ul>
 *
 * <p>Thread-safe: listener callbacks arrive on application threads while registries are bound.
 */
public class FastShareMetrics implements FastShareListener, CleanupResultListener, MeterBinder {

    /** Tag value for failed operations: the listener is not told which path failed. */
    static final String UNKNOWN_PATH = "unknown";

    private final Supplier<SharedMemoryTemplate> template;
    private final Supplier<Optional<BlockScan>> lastScan;
    private final List<RegistryMeters> registries = new CopyOnWriteArrayList<>();

    /**
     * Creates the meters' source.
     *
     * @param template supplies the template whose state the gauges read; called on each scrape, after the
     *     template exists, so a lazy lookup breaks the cycle between the listener and the template
     * @param lastScan supplies the latest directory scan, empty when there was none
     */
    public FastShareMetrics(Supplier<SharedMemoryTemplate> template, Supplier<Optional<BlockScan>> lastScan) {
        this.template = template;
        this.lastScan = lastScan;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fastshare.blocks.live", () -> template.get().ownedBlockCount())
                .description("Blocks this process wrote and still owns in shared memory")
                .baseUnit("blocks")
                .strongReference(true)
                .register(registry);
        Gauge.builder("fastshare.blocks.live.size", () -> template.get().ownedBytes())
                .description("Bytes of the blocks this process owns in shared memory")
                .baseUnit(BaseUnits.BYTES)
                .strongReference(true)
                .register(registry);
        Gauge.builder("fastshare.storage.free", () -> template.get().usableSpace())
                .description("Bytes free in the block directory's filesystem (-1 when unknown)")
                .baseUnit(BaseUnits.BYTES)
                .strongReference(true)
                .register(registry);
        Gauge.builder("fastshare.memory.headroom", () -> template.get().memoryHeadroom()
                .map(memory -> (Number) memory.headroomBytes()).orElse(Double.NaN))
                .description("Bytes this process may still write to shared memory before its memory cgroup's usage "
                        + "reaches fastshare.memory-limit-share of the limit (NaN without a limit)")
                .baseUnit(BaseUnits.BYTES)
                .strongReference(true)
                .register(registry);
        Gauge.builder("fastshare.blocks.orphaned",
                () -> lastScan.get().map(scan -> (Number) scan.orphans()).orElse(Double.NaN))
                .description("Orphan blocks (orphaned, incomplete, expired) found by the latest directory scan")
                .baseUnit("blocks")
                .strongReference(true)
                .register(registry);
        bindPool(registry);
        registries.add(new RegistryMeters(registry));
    }

    /** Pool gauges: 0 while the template has no pool (pool size 0). */
    private void bindPool(MeterRegistry registry) {
        Gauge.builder("fastshare.pool.capacity", () -> pool().map(BlockPool::capacity).orElse(0L))
                .description("Bytes of shared-memory pool segments this process holds (grows up to fastshare.pool.size)")
                .baseUnit(BaseUnits.BYTES)
                .strongReference(true)
                .register(registry);
        Gauge.builder("fastshare.pool.used", () -> pool().map(BlockPool::bytesInUse).orElse(0L))
                .description("Bytes of pool slots in use (being written, published or being taken)")
                .baseUnit(BaseUnits.BYTES)
                .strongReference(true)
                .register(registry);
        Gauge.builder("fastshare.pool.slots.used", () -> pool().map(BlockPool::slotsInUse).orElse(0))
                .description("Pool slots in use (being written, published or being taken)")
                .baseUnit("slots")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder("fastshare.pool.allocations", this, metrics -> metrics.pool().map(BlockPool::hits).orElse(0L))
                .description("Blocks written to the pool")
                .tag("outcome", "hit")
                .baseUnit("blocks")
                .register(registry);
        FunctionCounter.builder("fastshare.pool.allocations", this,
                metrics -> metrics.pool().map(BlockPool::fallThroughs).orElse(0L))
                .description("Blocks the pool could not take (full, or too large): written to a block file instead")
                .tag("outcome", "fall-through")
                .baseUnit("blocks")
                .register(registry);
    }

    private Optional<BlockPool> pool() {
        return template.get().stores().forKind(PoolBlockStore.KIND)
                .filter(PoolBlockStore.class::isInstance)
                .flatMap(store -> ((PoolBlockStore) store).pool());
    }

    @Override
    public void cleanupCompleted(CleanupResult result) {
        if (result.dryRun()) {
            return;
        }
        for (CleanupResult.Reclaimed reclaimed : result.cleaned()) {
            for (RegistryMeters meters : registries) {
                Counter counter = meters.reclaimed.get(reclaimed.state());
                if (counter != null) {
                    counter.increment();
                }
            }
        }
    }

    @Override
    public void writeCompleted(TransferPath path, long bytes, long nanos) {
        for (RegistryMeters meters : registries) {
            meters.writes.get(path).record(nanos);
        }
    }

    @Override
    public void writeFailed(FastShareException error, long nanos) {
        for (RegistryMeters meters : registries) {
            meters.writeFailures.record(nanos);
        }
    }

    @Override
    public void readCompleted(TransferPath path, long bytes, long nanos) {
        for (RegistryMeters meters : registries) {
            Operation reads = meters.reads.get(path);
            if (reads != null) { // never null: reads report SHM or INLINE
                reads.record(nanos);
            }
        }
    }

    @Override
    public void readFailed(FastShareException error, long nanos) {
        for (RegistryMeters meters : registries) {
            meters.readFailures.record(nanos);
        }
    }

    private static String tag(TransferPath path) {
        return path.name().toLowerCase(Locale.ROOT);
    }

    /** The counters and timers of one registry, created once so the hot path does no lookups. */
    private static final class RegistryMeters {

        final Map<TransferPath, Operation> writes = new EnumMap<>(TransferPath.class);
        final Map<TransferPath, Operation> reads = new EnumMap<>(TransferPath.class);
        final Operation writeFailures;
        final Operation readFailures;
        final Map<BlockState, Counter> reclaimed = new EnumMap<>(BlockState.class);

        RegistryMeters(MeterRegistry registry) {
            for (BlockState state : BlockState.values()) {
                if (state == BlockState.LIVE) {
                    continue; // never reclaimed
                }
                reclaimed.put(state, Counter.builder("fastshare.cleanup.reclaimed")
                        .description("Blocks reclaimed by fastshare cleanup, by the reason they were reclaimable")
                        .baseUnit("blocks")
                        .tag("reason", state.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
            for (TransferPath path : TransferPath.values()) {
                writes.put(path, new Operation(registry, "write", tag(path), "success"));
                if (path != TransferPath.FALLBACK) {
                    reads.put(path, new Operation(registry, "read", tag(path), "success"));
                }
            }
            writeFailures = new Operation(registry, "write", UNKNOWN_PATH, "failure");
            readFailures = new Operation(registry, "read", UNKNOWN_PATH, "failure");
        }
    }

    /** The timer {@code fastshare.<op>} of one path and outcome; its count is the number of operations. */
    private static final class Operation {

        private final Timer timer;

        Operation(MeterRegistry registry, String operation, String path, String outcome) {
            timer = Timer.builder("fastshare." + operation)
                    .description("Time a fastshare " + operation + " takes, by transfer path and outcome")
                    .tag("path", path)
                    .tag("outcome", outcome)
                    .register(registry);
        }

        void record(long nanos) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
