package dev.kubetest.benchmarks.jmh;

import java.util.List;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of the hot paths with the settings BENCHMARKS.md reports (one fork, 3 warm-up and 5
 * measured iterations of 2 s; {@code --quick}: 2 and 3 of 1 s), writing {@code target/jmh.json} beside the
 * printed table. A regular expression argument picks benchmarks, e.g. {@code StoreBenchmark.get}.
 */
public final class JmhSuite {
    private JmhSuite() {}

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        boolean quick = a.contains("--quick");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(1)
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgs("-Xmx2g")
                .resultFormat(ResultFormatType.JSON)
                .result("target/jmh.json");
        boolean picked = false;
        for (String arg : a) {
            if (!arg.startsWith("--")) {
                options.include(arg);
                picked = true;
            }
        }
        if (!picked) {
            options.include(JmhSuite.class.getPackageName() + ".*Benchmark");
        }
        new Runner(options.build()).run();
    }
}
