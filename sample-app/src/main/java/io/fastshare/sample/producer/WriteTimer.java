package io.fastshare.sample.producer;

import io.fastshare.FastShareListener;
import io.fastshare.TransferPath;
import io.fastshare.spring.boot.autoconfigure.SharedMemoryTemplateBuilderCustomizer;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Remembers, per thread, the last write of the template: its transfer path and how long it took. The
 * starter's HTTP converter writes the payload inside the {@code RestClient} call, on the calling thread,
 * so the runner reads the write's timing here after the call. Registered on the template as a listener.
 * Thread-safe (per-thread state).
 */
@Component
@Profile("producer")
class WriteTimer implements FastShareListener, SharedMemoryTemplateBuilderCustomizer {

    /**
     * The last write on a thread.
     *
     * @param path shared memory, inline or fallback
     * @param nanos how long the write took
     */
    record Write(TransferPath path, long nanos) {
    }

    private final ThreadLocal<Write> last = new ThreadLocal<>();

    @Override
    public void customize(io.fastshare.SharedMemoryTemplate.Builder builder) {
        builder.listener(this);
    }

    @Override
    public void writeCompleted(TransferPath path, long bytes, long nanos) {
        last.set(new Write(path, nanos));
    }

    /**
     * Returns and forgets the last write on this thread.
     *
     * @return the write, or null when there was none since the last call
     */
    Write take() {
        Write write = last.get();
        last.remove();
        return write;
    }
}
