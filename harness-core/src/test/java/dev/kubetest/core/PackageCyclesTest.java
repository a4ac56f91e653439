package dev.kubetest.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packages of harness-core depend on each other without cycles, as the JDK's jdeps reads the compiled classes. */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.kubetest\\.core[\\w.]*)\\s+->\\s+(dev\\.kubetest\\.core[\\w.]*)\\s");

    @Test
    void noPackageIsPartOfACycle() {
        Map<String, Set<String>> edges = packageEdges();
        assertThat(edges).as("jdeps found the packages").containsKey("dev.kubetest.core.api");
        Set<String> cyclic = new TreeSet<>();
        for (String from : edges.keySet()) {
            if (reachable(edges, from).contains(from)) {
                cyclic.add(from + " -> " + edges.get(from));
            }
        }
        assertThat(cyclic).as("packages that reach themselves").isEmpty();
    }

    @Test
    void theFindingWouldSeeACycle() {
        Map<String, Set<String>> edges = Map.of("a", Set.of("b"), "b", Set.of("a"), "c", Set.of("a"));
        assertThat(reachable(edges, "a")).contains("a");
        assertThat(reachable(edges, "c")).doesNotContain("c");
    }

    private static Set<String> reachable(Map<String, Set<String>> edges, String from) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(edges.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(edges.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private static Map<String, Set<String>> packageEdges() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        Path classes = Path.of("target", "classes");
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()),
                "-verbose:package", "-filter:none", classes.toString());
        assertThat(rc).as("jdeps exit code; output:%n%s", out).isZero();
        Map<String, Set<String>> edges = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                edges.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
            }
        }
        return edges;
    }
}
