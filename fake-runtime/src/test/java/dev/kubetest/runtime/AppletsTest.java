package dev.kubetest.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.clock.ManualClock;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerSpec;
import dev.kubetest.runtime.simulated.SimulatedRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The applets container commands use beyond the basics (sed, awk, sort, uniq, cut, tr, xargs, find, basename and
 * dirname, md5sum/sha256sum, stat, ln, chmod, du, df, ps, timeout, kill and wait of background jobs), with the
 * output busybox gives.
 */
class AppletsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimulatedRuntime runtime = new SimulatedRuntime(clock);

    private ContainerProcess busybox() {
        ContainerProcess c = runtime.create(new ContainerSpec("ns", "pod", "uid-1", "c", "busybox", List.of("sleep", "3600"),
                List.of(), Map.of(), Map.of(), Json.object(), "10.0.0.1", "pod", List.of()));
        c.start(e -> { });
        return c;
    }

    private ContainerRuntime.ExecResult exec(ContainerProcess c, String script) {
        AtomicReference<ContainerRuntime.ExecResult> out = new AtomicReference<>();
        runtime.exec(c, List.of("sh", "-c", script), null, out::set);
        return out.get();
    }

    static Stream<Arguments> scripts() {
        return Stream.of(
                // sed
                Arguments.of("echo hello world | sed 's/o/0/'", 0, "hell0 world"),
                Arguments.of("echo hello world | sed 's/o/0/g'", 0, "hell0 w0rld"),
                Arguments.of("printf 'a\\nb\\nc\\n' | sed -n '2p'", 0, "b"),
                Arguments.of("printf 'a\\nb\\nc\\n' | sed '/b/d'", 0, "a\nc"),
                Arguments.of("printf 'a\\nb\\nc\\nd\\n' | sed -n '2,3p'", 0, "b\nc"),
                Arguments.of("printf 'a\\nb\\nc\\n' | sed '$d'", 0, "a\nb"),
                Arguments.of("echo 'key=value' | sed -e 's/\\(.*\\)=\\(.*\\)/\\2=\\1/'", 0, "value=key"),
                Arguments.of("echo 'a1b22' | sed -E 's/[0-9]+/<&>/g'", 0, "a<1>b<22>"),
                Arguments.of("printf 'port: 80\\n' > /tmp/c; sed -i 's/80/8080/' /tmp/c; cat /tmp/c", 0, "port: 8080"),
                Arguments.of("echo abc | sed -e 's/a/x/' -e 's/c/z/'", 0, "xbz"),
                Arguments.of("echo 'a/b' | sed 's|/|-|'", 0, "a-b"),
                // awk
                Arguments.of("echo 'a b c' | awk '{print $2}'", 0, "b"),
                Arguments.of("echo 'a:b:c' | awk -F: '{print $3, $1}'", 0, "c a"),
                Arguments.of("printf '1\\n2\\n3\\n' | awk '{s += $1} END {print s}'", 0, "6"),
                Arguments.of("printf 'x 1\\ny 5\\nz 3\\n' | awk '$2 > 2 {print $1}'", 0, "y\nz"),
                Arguments.of("printf 'a\\nb\\n' | awk 'BEGIN {print \"start\"} {print NR \": \" $0} END {print NF}'", 0,
                        "start\n1: a\n2: b\n1"),
                Arguments.of("echo 'GET /x 200' | awk '/GET/ {printf \"%s=%05.1f|%-4s|\\n\", $2, $3 / 3, \"ok\"}'", 0,
                        "/x=066.7|ok  |"),
                Arguments.of("printf 'a 1\\nb 2\\na 3\\n' | awk '{t[$1] += $2} END {print t[\"a\"], t[\"b\"], length(t)}'", 0,
                        "4 2 2"),
                Arguments.of("awk 'BEGIN {x = substr(\"kubernetes\", 1, 4); print toupper(x), length(\"abc\"), index(\"abc\", \"c\")}'",
                        0, "KUBE 3 3"),
                Arguments.of("echo 'a-b-c' | awk '{n = split($0, p, \"-\"); gsub(/-/, \"+\"); print n, p[2], $0}'", 0,
                        "3 b a+b+c"),
                Arguments.of("awk -v n=3 'BEGIN {for (i = 1; i <= n; i++) s = s i; print s; if (s ~ /^12/) print \"yes\"; else print \"no\"}'",
                        0, "123\nyes"),
                Arguments.of("echo '10 3' | awk '{print $1 % $2, $1 / 4, int(-2.5)}'", 0, "1 2.5 -2"),
                // sort, uniq, cut, tr
                Arguments.of("printf 'b\\na\\nc\\na\\n' | sort", 0, "a\na\nb\nc"),
                Arguments.of("printf '10\\n9\\n100\\n' | sort -n", 0, "9\n10\n100"),
                Arguments.of("printf '10\\n9\\n100\\n' | sort -rn", 0, "100\n10\n9"),
                Arguments.of("printf 'x 3\\ny 1\\nz 2\\n' | sort -k 2 -n", 0, "y 1\nz 2\nx 3"),
                Arguments.of("printf 'b\\na\\nb\\n' | sort -u", 0, "a\nb"),
                Arguments.of("printf 'a\\na\\nb\\na\\n' | uniq -c", 0, "2 a\n      1 b\n      1 a"),
                Arguments.of("printf 'a\\na\\nb\\n' | uniq -d", 0, "a"),
                Arguments.of("echo 'a:b:c:d' | cut -d: -f2,4", 0, "b:d"),
                Arguments.of("echo 'abcdef' | cut -c2-4", 0, "bcd"),
                Arguments.of("echo 'Hello' | tr 'a-z' 'A-Z'", 0, "HELLO"),
                Arguments.of("echo 'a  b   c' | tr -s ' '", 0, "a b c"),
                Arguments.of("echo 'a1b2' | tr -d '0-9'", 0, "ab"),
                // xargs, basename, dirname
                Arguments.of("printf 'a\\nb\\n' | xargs echo got", 0, "got a b"),
                Arguments.of("printf 'a\\nb\\n' | xargs -n 1 echo x", 0, "x a\nx b"),
                Arguments.of("printf 'one\\ntwo\\n' | xargs -I {} echo '<{}>'", 0, "<one>\n<two>"),
                Arguments.of("basename /usr/local/bin/tool.sh .sh; dirname /usr/local/bin/tool.sh; dirname file", 0,
                        "tool\n/usr/local/bin\n."),
                // files
                Arguments.of("mkdir -p /tmp/f/d; touch /tmp/f/a.txt /tmp/f/d/b.txt /tmp/f/c.log; find /tmp/f -name '*.txt'", 0,
                        "/tmp/f/a.txt\n/tmp/f/d/b.txt"),
                Arguments.of("mkdir -p /tmp/g/d; touch /tmp/g/x; find /tmp/g -type d", 0, "/tmp/g\n/tmp/g/d"),
                Arguments.of("printf 'abc' | md5sum", 0, "900150983cd24fb0d6963f7d28e17f72  -"),
                Arguments.of("printf 'abc' > /tmp/h; sha256sum /tmp/h", 0,
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  /tmp/h"),
                Arguments.of("printf 'abc' > /tmp/h; md5sum /tmp/h > /tmp/sums; md5sum -c /tmp/sums", 0, "/tmp/h: OK"),
                Arguments.of("printf 'hello' > /tmp/s; stat -c '%s %n' /tmp/s", 0, "5 /tmp/s"),
                Arguments.of("touch /tmp/m; chmod 750 /tmp/m; stat -c %a /tmp/m; chmod o+r,u-w /tmp/m; stat -c '%a %A' /tmp/m",
                        0, "750\n554 -r-xr-xr--"),
                Arguments.of("echo target > /tmp/t; ln -s /tmp/t /tmp/l; cat /tmp/l; ln /tmp/t /tmp/hard; cat /tmp/hard", 0,
                        "target\ntarget"),
                Arguments.of("mkdir -p /tmp/du; dd if=/dev/zero of=/tmp/du/f bs=1024 count=10 2>/dev/null; du -s /tmp/du", 0,
                        "16\t/tmp/du"),
                Arguments.of("df / | tail -n 1 | awk '{print $1, $NF}'", 0, "overlay /"),
                // processes
                Arguments.of("ps | head -n 1; ps | awk '$1 == 1 {print $4, $5}'", 0, "PID   USER     TIME  COMMAND\nsleep 3600"),
                Arguments.of("sleep 100 & pid=$!; kill $pid; wait $pid; echo $?", 0, "143"),
                Arguments.of("sleep 100 & ps | grep -c 'sleep 100'; kill %1; ps | grep -c 'sleep 100'", 1, "1\n0"),
                Arguments.of("kill 99999", 1, ""),
                Arguments.of("date +%s | grep -cE '^[0-9]{10}$'; date -u +%F | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'", 0, "1\n1"),
                // exec: the command replaces the shell, whose status is then the command's
                Arguments.of("echo a; exec sh -c 'echo b; exit 4'; echo never", 4, "a\nb"),
                Arguments.of("timeout 5 true; echo $?", 0, "0"),
                Arguments.of("echo unknown-applet-check | nosuchapplet", 127, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void runsScripts(String script, int status, String stdout) {
        ContainerRuntime.ExecResult r = exec(busybox(), script);
        assertThat(r).as("finished without the clock").isNotNull();
        assertThat(r.exitCode()).as("stdout %s stderr %s", r.stdout(), r.stderr()).isEqualTo(status);
        assertThat(r.stdout().strip()).as("stderr [%s]", r.stderr()).isEqualTo(stdout);
    }

    @Test
    void timeoutEndsACommandAtItsDeadlineOnTheClock() {
        ContainerProcess c = busybox();
        AtomicReference<ContainerRuntime.ExecResult> out = new AtomicReference<>();
        runtime.exec(c, List.of("sh", "-c", "timeout 5 sleep 60; echo status=$?"), null, out::set);
        clock.advance(Duration.ofSeconds(4));
        assertThat(out.get()).as("still within its 5 s").isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(out.get()).isNotNull();
        assertThat(out.get().stdout()).isEqualTo("status=124\n");
    }

    @Test
    void waitWaitsForABackgroundJob() {
        ContainerProcess c = busybox();
        AtomicReference<ContainerRuntime.ExecResult> out = new AtomicReference<>();
        runtime.exec(c, List.of("sh", "-c", "(sleep 10; exit 7) & wait $!; echo job=$?"), null, out::set);
        assertThat(out.get()).isNull();
        clock.advance(Duration.ofSeconds(10));
        assertThat(out.get()).isNotNull();
        assertThat(out.get().stdout()).isEqualTo("job=7\n");
    }
}
