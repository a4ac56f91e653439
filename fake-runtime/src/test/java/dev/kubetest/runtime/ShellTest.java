package dev.kubetest.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.clock.ManualClock;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerSpec;
import dev.kubetest.core.json.Json;
import dev.kubetest.runtime.simulated.SimulatedRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The simulated runtime's shell subset, driven directly on a manual clock. */
class ShellTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimulatedRuntime runtime = new SimulatedRuntime(clock);

    private ContainerProcess container(String image, List<String> command) {
        return runtime.create(new ContainerSpec("ns", "pod", "uid-1", "c", image, command, List.of(), Map.of("GREETING", "hi"),
                Map.of(), Json.object(), "10.0.0.1", "pod", List.of()));
    }

    private ContainerRuntime.ExecResult exec(ContainerProcess c, String script) {
        AtomicReference<ContainerRuntime.ExecResult> out = new AtomicReference<>();
        runtime.exec(c, List.of("sh", "-c", script), null, out::set);
        return out.get();
    }

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("echo $GREETING world", 0, "hi world"),
                Arguments.of("x=3; echo $((x * 2 + 1))", 0, "7"),
                Arguments.of("for i in 1 2 3; do printf '%s-' $i; done", 0, "1-2-3-"),
                Arguments.of("if [ -f /etc/hostname ]; then echo yes; else echo no; fi", 0, "yes"),
                Arguments.of("echo a > /dev/null && false || echo b", 0, "b"),
                Arguments.of("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f | wc -l", 0, "2"),
                Arguments.of("case foo in f*) echo matched;; *) echo no;; esac", 0, "matched"),
                Arguments.of("nosuch", 127, ""),
                Arguments.of("exit 4", 4, ""),
                Arguments.of("echo $(echo nested)", 0, "nested"),
                Arguments.of("seq 3 | tail -n 1", 0, "3"),
                Arguments.of("echo 'héllo' > /tmp/u; wc -c < /tmp/u; cat /tmp/u", 0, "7\nhéllo"),
                Arguments.of("printf '\\377\\001\\n' > /tmp/b; wc -c /tmp/b", 0, "3"),
                Arguments.of("echo 'echo from-stdin; exit 6' | sh", 6, "from-stdin"),
                Arguments.of("mkdir -p /tmp/a/b; echo x > /tmp/a/b/f; cd /tmp; tar cf /tmp/a.tar a; rm -r /tmp/a;"
                        + " tar xf /tmp/a.tar; cat a/b/f; tar tf /tmp/a.tar | wc -l", 0, "x\n3"),
                Arguments.of("tar xf - -C /nowhere", 1, ""),
                Arguments.of("printf 'Alpha\\nbeta\\nALPHA.x\\n' > /tmp/g; grep -in alpha /tmp/g", 0, "1:Alpha\n3:ALPHA.x"),
                Arguments.of("printf 'a.c\\nabc\\n' | grep -cF a.c", 0, "1"),
                Arguments.of("printf 'a\\nb\\n' | grep -v a; grep -q zz /tmp/none", 2, "b"),
                Arguments.of("printf '\\x41\\102\\tC'", 0, "AB\tC"),
                Arguments.of("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i", 0, "3"),
                Arguments.of("printf 'a b c\\nnext\\n' | { read x y; read z; echo \"$x|$y|$z\"; }", 0, "a|b c|next"),
                Arguments.of("printf 'p q\\nr s\\n' | while read a b; do echo $b$a; done; echo done", 0, "qp\nsr\ndone"),
                Arguments.of("echo first > /tmp/r; echo second >> /tmp/r; read x < /tmp/r; echo $x", 0, "first"),
                Arguments.of("read x; echo \"[$x] $?\"", 0, "[] 1"),
                Arguments.of("printf 'a 1\\nb 2\\n' > /tmp/in; n=0; while read k v; do n=$((n+v)); echo $k; done < /tmp/in > /tmp/out;"
                        + " cat /tmp/out; echo $n; if true; then echo err >&2; fi 2>/dev/null", 0, "a\nb\n3"),
                Arguments.of("id; whoami; id -un; id -g", 0, "uid=0(root) gid=0(root) groups=0(root)\nroot\nroot\n0"),
                Arguments.of("printf 'no newline' | { read; echo \"$? $REPLY\"; }", 0, "1 no newline"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void runsScripts(String script, int status, String stdout) {
        ContainerProcess c = container("busybox", List.of("sleep", "3600"));
        c.start(e -> { });
        ContainerRuntime.ExecResult r = exec(c, script);
        assertThat(r).as("finished without the clock").isNotNull();
        assertThat(r.exitCode()).as("stdout %s stderr %s", r.stdout(), r.stderr()).isEqualTo(status);
        assertThat(r.stdout().trim()).as("stderr [%s] raw [%s]", r.stderr(), r.stdout()).isEqualTo(stdout == null ? "" : stdout.replace("\\n", "\n"));
    }

    @Test
    void sleepWaitsForTheClockAndSignalsEndIt() {
        List<ContainerProcess.Exit> exits = new ArrayList<>();
        ContainerProcess c = container("busybox", List.of("sh", "-c", "echo start; sleep 30; echo end; exit 3"));
        c.start(exits::add);
        clock.advance(Duration.ofSeconds(29));
        assertThat(exits).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(exits).singleElement().satisfies(e -> {
            assertThat(e.exitCode()).isEqualTo(3);
            assertThat(e.reason()).isEqualTo("Error");
        });
        assertThat(c.logs()).extracting(ContainerProcess.LogLine::text).containsExactly("start", "end");

        List<ContainerProcess.Exit> stopped = new ArrayList<>();
        ContainerProcess d = container("busybox", List.of("sleep", "600"));
        d.start(stopped::add);
        d.stop(Duration.ofSeconds(30));
        // PID 1 without a handler: SIGTERM is dropped, SIGKILL ends it when the grace period is over
        clock.advance(Duration.ofSeconds(29));
        assertThat(stopped).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(stopped).singleElement().satisfies(e -> assertThat(e.exitCode()).isEqualTo(137));
    }

    @Test
    void execWithSleepWaitsForTheClock() {
        ContainerProcess c = container("busybox", List.of("sleep", "3600"));
        c.start(e -> { });
        AtomicReference<ContainerRuntime.ExecResult> out = new AtomicReference<>();
        runtime.exec(c, List.of("sh", "-c", "echo stopping; sleep 5"), Duration.ofSeconds(30), out::set);
        assertThat(out.get()).as("still sleeping").isNull();
        clock.advance(Duration.ofSeconds(5));
        assertThat(out.get()).isNotNull();
        assertThat(out.get().exitCode()).isZero();
    }
}
