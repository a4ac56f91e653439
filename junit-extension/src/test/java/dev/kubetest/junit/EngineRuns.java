package dev.kubetest.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs fixture classes on the Jupiter engine (EngineTestKit) and reports what failed, with the causes. */
final class EngineRuns {
    private EngineRuns() {}

    static EngineExecutionResults run(Map<String, String> parameters, Class<?>... classes) {
        var request = EngineTestKit.engine("junit-jupiter").configurationParameters(parameters);
        for (Class<?> c : classes) {
            request = request.selectors(selectClass(c));
        }
        return request.execute();
    }

    static EngineExecutionResults run(Class<?>... classes) {
        return run(Map.of(), classes);
    }

    /** Fails with every failure's cause unless all tests and containers succeeded and {@code tests} tests ran. */
    static void assertAllPassed(EngineExecutionResults results, int tests) {
        List<Event> failed = results.allEvents().failed().list();
        if (!failed.isEmpty()) {
            AssertionError error = new AssertionError("fixtures failed: " + failed.stream()
                    .map(e -> e.getTestDescriptor().getDisplayName() + ": " + e.getPayload(TestExecutionResult.class)
                            .flatMap(TestExecutionResult::getThrowable).map(Throwable::toString).orElse("?"))
                    .collect(Collectors.joining("; ")));
            failed.forEach(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                    .ifPresent(error::addSuppressed));
            throw error;
        }
        results.testEvents().assertStatistics(s -> s.succeeded(tests).failed(0).aborted(0));
    }

    /** The one failure of a container (the class), as thrown. */
    static Throwable containerFailure(EngineExecutionResults results) {
        return results.containerEvents().failed().stream().map(e -> e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow()).findFirst()
                .orElseThrow(() -> new AssertionError("no container failed"));
    }
}
