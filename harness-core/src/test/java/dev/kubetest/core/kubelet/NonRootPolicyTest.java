package dev.kubetest.core.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.json.Json;
import org.junit.jupiter.api.Test;

/** The kubelet's runAsNonRoot check, with upstream's messages. */
class NonRootPolicyTest {
    private static final String POD = "web_default(1234)";

    @Test
    void withoutRunAsNonRootAnythingGoes() {
        assertThat(NonRootPolicy.violation(Json.parse("{}"), "", POD, "c")).isEmpty();
        assertThat(NonRootPolicy.violation(Json.parse("{\"runAsNonRoot\":false,\"runAsUser\":0}"), "", POD, "c")).isEmpty();
    }

    @Test
    void runAsUserDecidesWhenSet() {
        assertThat(NonRootPolicy.violation(Json.parse("{\"runAsNonRoot\":true,\"runAsUser\":0}"), "1000", POD, "c"))
                .contains("container's runAsUser breaks non-root policy (pod: \"web_default(1234)\", container: c)");
        assertThat(NonRootPolicy.violation(Json.parse("{\"runAsNonRoot\":true,\"runAsUser\":1000}"), "", POD, "c")).isEmpty();
    }

    @Test
    void elseTheImagesUserMustBeANumericNonRootUid() {
        assertThat(NonRootPolicy.violation(Json.parse("{\"runAsNonRoot\":true}"), "", POD, "app"))
                .contains("container has runAsNonRoot and image will run as root (pod: \"web_default(1234)\", container: app)");
        assertThat(NonRootPolicy.violation(Json.parse("{\"runAsNonRoot\":true}"), "0:0", POD, "app")).isPresent();
        assertThat(NonRootPolicy.violation(Json.parse("{\"runAsNonRoot\":true}"), "nginx", POD, "app"))
                .contains("container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root"
                        + " (pod: \"web_default(1234)\", container: app)");
        assertThat(NonRootPolicy.violation(Json.parse("{\"runAsNonRoot\":true}"), "65532:65532", POD, "app")).isEmpty();
        assertThat(NonRootPolicy.violation(Json.parse("{\"runAsNonRoot\":true}"), "101", POD, "app")).isEmpty();
    }

    @Test
    void theImageIsOnlyAskedAboutWhenTheCheckNeedsIt() {
        java.util.function.Supplier<String> unexpected = () -> {
            throw new AssertionError("the image's user was asked for");
        };
        assertThat(NonRootPolicy.violation(Json.parse("{}"), unexpected, POD, "c")).isEmpty();
        assertThat(NonRootPolicy.violation(Json.parse("{\"runAsNonRoot\":true,\"runAsUser\":7}"), unexpected, POD, "c")).isEmpty();
    }
}
