package dev.kubetest.benchmarks.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.FrozenTrees;
import dev.kubetest.core.json.Json;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JSON out and in for one stored, upstream-shaped pod (defaults and managedFields, ~3 KB): writing the stored
 * (frozen) object, which reuses the bytes kept with it; writing a plain Jackson tree of the same pod (what every
 * answer cost before the bytes were kept); parsing a request body; freezing a changed version against the
 * previous one (what every write pays).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SerialisationBenchmark {
    private ClusterState state;
    private ObjectNode stored;
    private ObjectNode plain;
    private byte[] bytes;
    private ObjectNode changed;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        state = new ClusterState(1);
        stored = state.api.get(state.pods, "bench", "pod-0");
        bytes = Json.bytes(stored);
        plain = (ObjectNode) Json.parse(bytes);
        changed = plain.deepCopy();
        ((ObjectNode) changed.path("metadata").path("labels")).put("changed", "yes");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
    }

    @Benchmark
    public byte[] writeStored() {
        return Json.bytes(stored);
    }

    @Benchmark
    public byte[] writePlainTree() {
        return Json.bytes(plain);
    }

    @Benchmark
    public JsonNode parse() throws IOException {
        return Json.parse(bytes);
    }

    @Benchmark
    public Object freezeAgainstPrevious() {
        return FrozenTrees.freeze(changed, stored);
    }
}
