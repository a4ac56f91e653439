package dev.kubetest.core.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's slow start: a controller creating many pods creates them in batches of 1, 2, 4, ... so that a create
 * that keeps failing (a quota, an admission refusal) fails once or a few times rather than for every pod. A batch
 * with a failure ends the run; the pods not tried are left for the next sync.
 */
public final class SlowStart {
    /** Upstream's cap on the pods one sync of a ReplicaSet creates or deletes (burstReplicas). */
    public static final int BURST = 500;

    private SlowStart() {}

    /** The batch sizes for creating {@code count} pods, starting at {@code initial}. */
    public static List<Integer> batches(int count, int initial) {
        List<Integer> out = new ArrayList<>();
        int remaining = count;
        for (int size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
            out.add(size);
            remaining -= size;
        }
        return out;
    }

    /** Runs {@code create} for {@code count} pods in slow-start batches; the number that succeeded. */
    public static int run(int count, java.util.function.BooleanSupplier create) {
        int done = 0;
        for (int size : batches(count, 1)) {
            int failed = 0;
            for (int i = 0; i < size; i++) {
                if (!create.getAsBoolean()) {
                    failed++;
                }
            }
            done += size - failed;
            if (failed > 0) {
                break;
            }
        }
        return done;
    }
}
