package dev.kubetest.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which volume a claim binds to. */
class VolumeMatchingTest {
    private static ObjectNode pv(String name, String size, String cls, String phase, String... modes) {
        ObjectNode pv = Json.object();
        pv.putObject("metadata").put("name", name).putObject("labels").put("tier", name.startsWith("fast") ? "fast" : "slow");
        ObjectNode spec = pv.putObject("spec");
        spec.putObject("capacity").put("storage", size);
        if (cls != null) {
            spec.put("storageClassName", cls);
        }
        var m = spec.putArray("accessModes");
        for (String mode : modes) {
            m.add(mode);
        }
        pv.putObject("status").put("phase", phase);
        return pv;
    }

    private static ObjectNode claim(String size, String cls, String... modes) {
        ObjectNode c = Json.object();
        c.putObject("metadata").put("name", "c").put("namespace", "ns").put("uid", "u1");
        ObjectNode spec = c.putObject("spec");
        spec.putObject("resources").putObject("requests").put("storage", size);
        if (cls != null) {
            spec.put("storageClassName", cls);
        }
        var m = spec.putArray("accessModes");
        for (String mode : modes) {
            m.add(mode);
        }
        return c;
    }

    private static String name(java.util.Optional<JsonNode> pv) {
        return pv.map(p -> p.path("metadata").path("name").asText()).orElse("none");
    }

    @Test
    void theSmallestAvailableVolumeThatFitsWins() {
        List<ObjectNode> pvs = List.of(pv("big", "10Gi", "m", "Available", "ReadWriteOnce"),
                pv("small", "1Gi", "m", "Available", "ReadWriteOnce"), pv("mid", "5Gi", "m", "Available", "ReadWriteOnce", "ReadOnlyMany"),
                pv("bound", "3Gi", "m", "Bound", "ReadWriteOnce"), pv("other", "3Gi", "x", "Available", "ReadWriteOnce"));
        assertThat(name(VolumeMatching.match(claim("2Gi", "m", "ReadWriteOnce"), pvs))).isEqualTo("mid");
        assertThat(name(VolumeMatching.match(claim("2Gi", "m", "ReadWriteMany"), pvs))).isEqualTo("none");
        assertThat(name(VolumeMatching.match(claim("1Gi", "m", "ReadOnlyMany"), pvs))).isEqualTo("mid");
        assertThat(name(VolumeMatching.match(claim("20Gi", "m", "ReadWriteOnce"), pvs))).isEqualTo("none");
        // "" matches only volumes without a class
        assertThat(name(VolumeMatching.match(claim("1Gi", "", "ReadWriteOnce"),
                List.of(pv("classless", "1Gi", null, "Available", "ReadWriteOnce"), pvs.get(1))))).isEqualTo("classless");
    }

    @Test
    void aReservedVolumeWinsAndSelectorsNarrow() {
        ObjectNode reserved = pv("reserved", "8Gi", "m", "Available", "ReadWriteOnce");
        reserved.with("spec").putObject("claimRef").put("namespace", "ns").put("name", "c");
        ObjectNode small = pv("small", "1Gi", "m", "Available", "ReadWriteOnce");
        assertThat(name(VolumeMatching.match(claim("1Gi", "m", "ReadWriteOnce"), List.of(small, reserved)))).isEqualTo("reserved");
        ObjectNode selecting = claim("1Gi", "m", "ReadWriteOnce");
        selecting.with("spec").putObject("selector").putObject("matchLabels").put("tier", "fast");
        ObjectNode fast = pv("fast-1", "2Gi", "m", "Available", "ReadWriteOnce");
        assertThat(name(VolumeMatching.match(selecting, List.of(small, fast)))).isEqualTo("fast-1");
    }
}
