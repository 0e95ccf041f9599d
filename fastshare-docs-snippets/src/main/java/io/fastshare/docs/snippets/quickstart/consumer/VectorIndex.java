package io.fastshare.docs.snippets.quickstart.consumer;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands for the consumer application's own code that uses the received vectors; it only keeps them.
 * Thread-safe.
 */
@Component
public class VectorIndex {

    private final List<float[]> added = new CopyOnWriteArrayList<>();

    /**
     * Keeps a received array.
     *
     * @param vectors the array
     */
    public void add(float[] vectors) {
        added.add(vectors);
    }

    /**
     * Returns the arrays received so far, oldest first.
     *
     * @return an unmodifiable snapshot
     */
    public List<float[]> added() {
        return List.copyOf(added);
    }
}
