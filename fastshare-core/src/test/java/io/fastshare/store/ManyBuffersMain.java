package io.fastshare.store;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The crash reproducer of issue 12, item 1, run in a child JVM: a record holding a
 * {@code List<float[]>} of 65,536 vectors of 1024 floats, written with defaults and opened once. One
 * mapping per buffer ran into {@code vm.max_map_count} and killed the JVM. Prints {@code OPENED
 * <buffers> <mappings>} and {@code DONE} when it survives.
 */
public final class ManyBuffersMain {

    /** The payload: a list of vectors, each an out-of-band buffer of its own. */
    public record Vectors(String model, List<float[]> vectors) {
    }

    private ManyBuffersMain() {
    }

    /**
     * Runs the reproducer.
     *
     * @param args block directory, vector count
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        List<float[]> vectors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] vector = new float[1024];
            vector[0] = i;
            vectors.add(vector);
        }
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            String token = template.write(new Vectors("m", vectors));
            vectors = null;
            try (SharedPayload payload = template.open(token)) {
                System.out.println("OPENED " + payload.buffers().size() + " " + ProcMaps.mappingsUnder(dir));
                Vectors value = payload.value(Vectors.class);
                float last = value.vectors().get(count - 1)[0];
                System.out.println("LAST " + (int) last);
            }
            template.release(token);
        }
        System.out.println("DONE");
    }
}
