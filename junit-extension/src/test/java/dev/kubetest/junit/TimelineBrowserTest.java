package dev.kubetest.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The timeline of a failed test, loaded in a real browser (headless Chromium): what its script drew is read back
 * from the page's DOM, and a screenshot is kept in target/kubetest-reports/ for CI to archive.
 */
class TimelineBrowserTest {

    @KubeTest
    static class FailsWithTwoPods {
        @Test
        void fails(KubernetesClient client) {
            client.pods().resource(pod("crashy", "echo boom; exit 1")).create();
            client.pods().resource(pod("steady", "sleep 3600")).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Pod p = client.pods().withName("crashy").get();
                return p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                        && p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 3;
            });
            throw new AssertionError("crashy keeps crashing");
        }

        private static Pod pod(String name, String script) {
            return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewContainer()
                    .withName("app").withImage("busybox:1.36").withCommand("sh", "-c", script).endContainer().endSpec().build();
        }
    }

    static Path timelineOf(EngineExecutionResults results) {
        Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        String dump = failure.getSuppressed()[0].getMessage();
        Matcher m = Pattern.compile("Timeline: (\\S+\\.html)").matcher(dump);
        assertThat(m.find()).as("the dump names the timeline: %s", dump).isTrue();
        return Path.of(m.group(1));
    }

    @Test
    void aFailedTestsTimelineIsASelfContainedPage() throws Exception {
        EngineExecutionResults results = EngineRuns.run(FailsWithTwoPods.class);
        Path page = timelineOf(results);
        assertThat(page).exists().startsWith(Path.of("target", "kubetest-reports").toAbsolutePath());
        String html = Files.readString(page);
        // nothing fetched from elsewhere
        assertThat(html).doesNotContainPattern("(?i)<script[^>]+src=|<link[^>]+href=|@import|url\\(\\s*['\"]?https?:|https?://(?!www\\.w3\\.org)");
        assertThat(html).contains("\"name\":\"crashy\"", "\"kind\":\"restart\"", "\"reason\":\"BackOff\"");
    }

    @Test
    void chromiumDrawsARowPerPodAndAMarkPerRestart() throws Exception {
        String chromium = chromium();
        EngineExecutionResults results = EngineRuns.run(FailsWithTwoPods.class);
        Path page = timelineOf(results);

        String dom = run(chromium, "--dump-dom", page.toUri().toString());
        assertThat(dom).contains("data-drawn=\"true\"");
        List<String> rows = all(dom, "<g class=\"pod-row\" data-pod=\"([^\"]+)\"");
        assertThat(rows).containsExactlyInAnyOrder("crashy", "steady");
        String crashyRow = dom.substring(dom.indexOf("data-pod=\"crashy\""));
        int next = crashyRow.indexOf("<g class=\"pod-row\"");
        crashyRow = crashyRow.substring(0, next > 0 ? next : crashyRow.indexOf("</svg>"));
        int restarts = all(crashyRow, "data-kind=\"restart\"").size();
        assertThat(restarts).as("restart marks in %s", crashyRow).isGreaterThanOrEqualTo(3);
        assertThat(all(crashyRow, "data-kind=\"exit\"")).hasSizeGreaterThanOrEqualTo(restarts);
        assertThat(all(dom, "class=\"band\"")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(all(dom, "<tr class=\"event Warning\" data-reason=\"BackOff\"")).isNotEmpty();

        Path shot = Path.of("target", "kubetest-reports", "timeline-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        run(chromium, "--screenshot=" + shot, "--window-size=1280,900", page.toUri().toString());
        assertThat(shot).exists();
        assertThat(Files.size(shot)).isGreaterThan(5_000);
    }

    private static String chromium() {
        return HeadlessChromium.find("the timeline's browser test needs it");
    }

    private static String run(String chromium, String... args) throws Exception {
        return HeadlessChromium.run(chromium, args);
    }

    private static List<String> all(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.groupCount() > 0 ? m.group(1) : m.group());
        }
        return out;
    }
}
