package dev.kubetest.core.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.Quantities;
import dev.kubetest.core.selector.LabelSelector;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which PersistentVolume a claim binds to, as upstream's PV controller chooses: a volume already reserved for the
 * claim (its claimRef) wins; otherwise an Available volume of the same class (a claim's {@code ""} matches only
 * volumes without a class), the same volumeMode, every access mode asked for, at least the storage requested and
 * labels the claim's selector matches; the smallest such volume. Pure.
 */
public final class VolumeMatching {
    private VolumeMatching() {}

    public static Optional<JsonNode> match(JsonNode claim, List<? extends JsonNode> volumes) {
        JsonNode best = null;
        BigDecimal bestSize = null;
        for (JsonNode pv : volumes) {
            if (reservedFor(pv, claim)) {
                return fits(claim, pv) ? Optional.of(pv) : Optional.empty();
            }
        }
        String wanted = claim.path("spec").path("volumeName").asText("");
        for (JsonNode pv : volumes) {
            if (!wanted.isEmpty() && !wanted.equals(pv.path("metadata").path("name").asText())) {
                continue;
            }
            if (pv.path("spec").hasNonNull("claimRef") || pv.path("metadata").hasNonNull("deletionTimestamp")
                    || !"Available".equals(pv.path("status").path("phase").asText()) || !fits(claim, pv)) {
                continue;
            }
            BigDecimal size = capacity(pv);
            if (best == null || size.compareTo(bestSize) < 0) {
                best = pv;
                bestSize = size;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The volume's claimRef names this claim (by UID when it has one). */
    public static boolean reservedFor(JsonNode pv, JsonNode claim) {
        JsonNode ref = pv.path("spec").path("claimRef");
        if (!ref.isObject()) {
            return false;
        }
        JsonNode meta = claim.path("metadata");
        boolean named = ref.path("name").asText().equals(meta.path("name").asText())
                && ref.path("namespace").asText().equals(meta.path("namespace").asText());
        String uid = ref.path("uid").asText("");
        return named && (uid.isEmpty() || uid.equals(meta.path("uid").asText()));
    }

    static boolean fits(JsonNode claim, JsonNode pv) {
        JsonNode cs = claim.path("spec");
        JsonNode ps = pv.path("spec");
        if (!cs.path("storageClassName").asText("").equals(ps.path("storageClassName").asText(""))) {
            return false;
        }
        if (!cs.path("volumeMode").asText("Filesystem").equals(ps.path("volumeMode").asText("Filesystem"))) {
            return false;
        }
        Set<String> modes = new HashSet<>();
        ps.path("accessModes").forEach(m -> modes.add(m.asText()));
        for (JsonNode m : cs.path("accessModes")) {
            if (!modes.contains(m.asText())) {
                return false;
            }
        }
        if (capacity(pv).compareTo(request(claim)) < 0) {
            return false;
        }
        JsonNode sel = cs.get("selector");
        if (sel != null && !sel.isNull()) {
            LabelSelector selector = LabelSelector.fromJson(sel);
            return selector == null || selector.matches(LabelSelector.labelsOf(pv));
        }
        return true;
    }

    public static BigDecimal capacity(JsonNode pv) {
        return Quantities.amount(pv.path("spec").path("capacity").path("storage").asText("0"));
    }

    public static BigDecimal request(JsonNode claim) {
        return Quantities.amount(claim.path("spec").path("resources").path("requests").path("storage").asText("0"));
    }
}
