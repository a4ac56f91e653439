package dev.kubetest.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamespaceNamesTest {

    @Test
    void classAndMethodBecomeADnsLabel() {
        assertThat(NamespaceNames.of("PodTest", "startsWeb", "a1b2c")).isEqualTo("pod-test-starts-web-a1b2c");
        assertThat(NamespaceNames.of("HTTPRouteTest", "routes_80_20", "x")).isEqualTo("http-route-test-routes-80-20-x");
        assertThat(NamespaceNames.of("FailsWithACrashingPod", "fails", "x")).isEqualTo("fails-with-a-crashing-pod-fails-x");
    }

    @Test
    void longNamesAreCutToSixtyThreeCharactersWithoutATrailingDash() {
        String name = NamespaceNames.of("AVeryLongTestClassNameThatGoesOnAndOnForeverTest",
                "andAMethodNameThatIsJustAsLongAsTheClassName", "abcde");
        assertThat(name).hasSizeLessThanOrEqualTo(63).endsWith("-abcde").doesNotContain("--")
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }

    @Test
    void nothingUsableLeftGivesTest() {
        assertThat(NamespaceNames.of("$$", "__", "q1")).isEqualTo("test-q1");
    }
}
