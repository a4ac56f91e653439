package dev.kubetest.benchmarks.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.ListWatch;
import dev.kubetest.core.meta.ListOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The store's hot paths through the in-process API (validation, defaults, admission, frozen trees, revisions):
 * get by name, create, list of all pods, list selected by label (1 in 100) and by field.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBenchmark {
    @Param({"10000"})
    public int pods;

    private ClusterState state;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        state = new ClusterState(pods);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
    }

    @Benchmark
    public ObjectNode get() {
        return state.api.get(state.pods, "bench", "pod-" + (next.getAndIncrement() % pods));
    }

    @Benchmark
    public ObjectNode createConfigMap() {
        return state.api.create(state.configMaps, "bench", ClusterState.configMap("cm-" + next.getAndIncrement(), "v"),
                ClusterState.BENCH);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ListWatch.Page listAll() {
        return state.api.lists().list(state.pods, "bench", ListOptions.all());
    }

    @Benchmark
    public ListWatch.Page listByLabel() {
        return state.api.lists().list(state.pods, "bench", ListOptions.labels("app=app-" + (next.getAndIncrement() % 100)));
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ListWatch.Page listByField() {
        return state.api.lists().list(state.pods, "bench",
                ListOptions.all().withFieldSelector("metadata.name=pod-" + (next.getAndIncrement() % pods)));
    }
}
