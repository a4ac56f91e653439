package dev.kubetest.benchmarks.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.api.ListWatch;
import dev.kubetest.core.api.WatchEventType;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Writes to one pod among 1,000 stored: update (PUT), strategic merge patch of a container's image, JSON merge patch, server-side
 * apply by a second manager, and an update seen by {@code watchers} in-process watches (the fan-out: events are
 * delivered on the writer's thread, so the figure includes every watcher's filter and hand-off).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WriteBenchmark {
    @Param({"1", "50"})
    public int watchers;

    private ClusterState state;
    private final List<AutoCloseable> watches = new ArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private long counter;

    @Setup(Level.Trial)
    public void setUp() {
        state = new ClusterState(1_000);
        for (int i = 0; i < watchers; i++) {
            watches.add(state.api.lists().watch(state.pods, "bench", ListOptions.all().withResourceVersion(
                    Long.toString(state.api.lists().currentRevision())), (ListWatch.WatchListener) (type, obj) -> {
                        if (type == WatchEventType.MODIFIED) {
                            delivered.incrementAndGet();
                        }
                    }));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (AutoCloseable w : watches) {
            w.close();
        }
        state.close();
    }

    @Benchmark
    public ObjectNode update() {
        ObjectNode pod = state.api.get(state.pods, "bench", "pod-7").deepCopy();
        ((ObjectNode) pod.path("metadata").path("labels")).put("round", Long.toString(counter++));
        return state.api.update(state.pods, "bench", "pod-7", pod, KubeApi.Target.MAIN, ClusterState.BENCH);
    }

    @Benchmark
    public ObjectNode strategicMergePatch() {
        ObjectNode patch = Json.object();
        patch.putObject("metadata").putObject("labels").put("round", Long.toString(counter++));
        // a container found by its merge key (name); the image is one of the few fields a pod's spec may change
        patch.putObject("spec").putArray("containers").addObject().put("name", "web").put("image", "nginx:1." + counter);
        return state.api.patch(state.pods, "bench", "pod-8", KubeApi.PatchType.STRATEGIC, patch, KubeApi.Target.MAIN,
                ClusterState.BENCH);
    }

    @Benchmark
    public ObjectNode mergePatch() {
        ObjectNode patch = Json.object();
        patch.putObject("metadata").putObject("annotations").put("round", Long.toString(counter++));
        return state.api.patch(state.pods, "bench", "pod-9", KubeApi.PatchType.MERGE, patch, KubeApi.Target.MAIN,
                ClusterState.BENCH);
    }

    @Benchmark
    public ObjectNode serverSideApply() {
        ObjectNode config = Json.object();
        config.put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = config.putObject("metadata");
        meta.put("name", "pod-10");
        meta.putObject("labels").put("applied", Long.toString(counter++));
        return state.api.apply(state.pods, "bench", "pod-10", config, KubeApi.Target.MAIN,
                new WriteOptions(false, "applier", null, true, null)).object();
    }
}
