package dev.kubetest.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.core.KubeCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Each misuse fails the class before any test runs, with a message naming the element and the fix. */
class KubeTestMisuseTest {

    private static void assertFailsAtClassStart(EngineExecutionResults results, String... messageParts) {
        assertThat(results.testEvents().started().count()).as("no test started").isZero();
        assertThat(EngineRuns.containerFailure(results)).isInstanceOf(ExtensionConfigurationException.class)
                .message().contains(messageParts);
    }

    private static void assertFailsAtClassStart(Class<?> fixture, String... messageParts) {
        assertFailsAtClassStart(EngineRuns.run(fixture), messageParts);
    }

    @KubeTest
    static class StaticAndInstanceCluster {
        static KubeCluster shared;
        KubeCluster mine;

        @Test
        void never() {
        }
    }

    @Test
    void aStaticAndAnInstanceCluster() {
        assertFailsAtClassStart(StaticAndInstanceCluster.class, "static field shared", "instance field mine",
                "keep only one of them");
    }

    @KubeTest
    static class KubeconfigAsString {
        @Kubeconfig
        String kubeconfig;

        @Test
        void never() {
        }
    }

    @Test
    void aKubeconfigThatIsNotAPath() {
        assertFailsAtClassStart(KubeconfigAsString.class, "field kubeconfig of", "marked @Kubeconfig but is a java.lang.String",
                "declare it as java.nio.file.Path");
    }

    @KubeTest
    static class NamespaceParameterAsInt {
        @Test
        void never(@TestNamespace int ns) {
        }
    }

    @Test
    void aParameterOfTheWrongType() {
        assertFailsAtClassStart(NamespaceParameterAsInt.class, "parameter", "never", "marked @TestNamespace but is a int",
                "declare it as String");
    }

    @KubeTest
    static class FinalField {
        final KubeCluster cluster = null;

        @Test
        void never() {
        }
    }

    @Test
    void aFinalField() {
        assertFailsAtClassStart(FinalField.class, "field cluster of", "is final", "remove final");
    }

    @KubeTest
    static class StaticNamespace {
        @TestNamespace
        static String namespace;

        @Test
        void never() {
        }
    }

    @Test
    void aStaticNamespace() {
        assertFailsAtClassStart(StaticNamespace.class, "static field namespace", "changes with every test",
                "make it an instance field");
    }

    @KubeTest(lifetime = KubeTest.Lifetime.PER_METHOD)
    static class StaticClusterPerMethod {
        static KubeCluster cluster;

        @Test
        void never() {
        }
    }

    @Test
    void aStaticClusterWhenEachTestHasItsOwn() {
        assertFailsAtClassStart(StaticClusterPerMethod.class, "static field cluster", "each test gets its own cluster",
                "make it an instance field");
    }

    @KubeTest(lifetime = KubeTest.Lifetime.PER_METHOD, isolation = KubeTest.Isolation.NAMESPACE)
    static class Contradictory {
        @Test
        void never() {
        }
    }

    @Test
    void contradictorySettings() {
        assertFailsAtClassStart(Contradictory.class, "@KubeTest on", "lifetime = PER_METHOD", "isolation = NAMESPACE",
                "drop one of them");
    }

    @KubeTest(nodes = 0)
    static class NoNodes {
        @Test
        void never() {
        }
    }

    @Test
    void noNodes() {
        assertFailsAtClassStart(NoNodes.class, "needs at least one node");
    }

    @KubeTest(nodeSpecs = @KubeTest.Node(name = "n", taints = "dedicated=infra"))
    static class BadTaint {
        @Test
        void never() {
        }
    }

    @Test
    void aTaintWithoutAnEffect() {
        assertFailsAtClassStart(BadTaint.class, "node n has taint \"dedicated=infra\"", "key=value:Effect");
    }

    @KubeTest(manifests = "classpath:manifests/missing.yaml")
    static class MissingManifest {
        @Test
        void never() {
        }
    }

    @Test
    void aManifestThatIsNotThere() {
        assertFailsAtClassStart(MissingManifest.class, "classpath:manifests/missing.yaml is not on the class path",
                "src/test/resources/manifests/missing.yaml");
    }

    @KubeTest
    static class Plain {
        @Test
        void never() {
        }
    }

    @Test
    void aConfigurationParameterWithABadValue() {
        assertFailsAtClassStart(EngineRuns.run(Map.of("kubetest.time", "sometimes"), Plain.class),
                "kubetest.time = \"sometimes\"", "[auto, manual, real]");
    }

    @ExtendWith(KubeTestExtension.class)
    static class ExtendWithoutAnnotation {
        @Test
        void never(Path unused) {
        }
    }

    @Test
    void theExtensionWithoutTheAnnotation() {
        assertFailsAtClassStart(ExtendWithoutAnnotation.class, "without @KubeTest", "annotate the class with @KubeTest");
    }
}
