package dev.kubetest.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** UIDs and container IDs look like upstream's and do not repeat. */
class UidsTest {

    @Test
    void objectUidsAreDistinctVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String uid = Uids.random();
            assertThat(uid).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            UUID parsed = UUID.fromString(uid);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(seen.add(uid)).as("repeated uid %s", uid).isTrue();
        }
    }

    @Test
    void nameUuidsDependOnlyOnTheName() {
        assertThat(Uids.fromName("kubetest-node-1")).isEqualTo(Uids.fromName("kubetest-node-1"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String uid = Uids.fromName("kubetest-node-" + i);
            assertThat(UUID.fromString(uid).version()).isEqualTo(4);
            assertThat(seen.add(uid)).isTrue();
        }
        assertThat(Uids.fromName("a")).isNotEqualTo(Uids.fromName("a-boot"));
    }

    @Test
    void containerIdsAre64HexDigits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Uids.containerId();
            assertThat(id).matches("[0-9a-f]{64}");
            assertThat(seen.add(id)).isTrue();
        }
    }
}
