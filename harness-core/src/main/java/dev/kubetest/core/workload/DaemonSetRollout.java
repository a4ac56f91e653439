package dev.kubetest.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A DaemonSet's RollingUpdate step, as upstream's rollingUpdate: with maxSurge 0, old pods that are unavailable are
 * replaced at once and available ones only while fewer than maxUnavailable nodes lack an available pod; with
 * maxSurge, a new pod starts beside the old one on up to maxSurge nodes and the old one goes once the new one is
 * available. Both bounds are numbers or percentages of the desired nodes, rounded up.
 */
final class DaemonSetRollout {
    private DaemonSetRollout() {}

    static void roll(JsonNode ds, Set<String> eligible, Map<String, List<ObjectNode>> byNode, String hash, Instant now,
                     long minReady, Consumer<JsonNode> delete, Consumer<String> create) {
        int desired = eligible.size();
        JsonNode ru = ds.path("spec").path("updateStrategy").path("rollingUpdate");
        int maxSurge = RolloutMath.scaled(ru.get("maxSurge"), desired, true);
        JsonNode unavailableSetting = ru.get("maxUnavailable");
        int maxUnavailable = unavailableSetting == null || unavailableSetting.isNull() ? 1
                : RolloutMath.scaled(unavailableSetting, desired, true);
        int unavailable = 0;
        for (String node : eligible) {
            if (live(byNode, node).stream().noneMatch(p -> Pods.available(p, minReady, now))) {
                unavailable++;
            }
        }
        int surging = 0;
        for (String node : eligible) {
            List<ObjectNode> here = live(byNode, node);
            Optional<ObjectNode> fresh = here.stream().filter(p -> hash.equals(revision(p))).findFirst();
            List<ObjectNode> old = here.stream().filter(p -> !hash.equals(revision(p))).toList();
            if (fresh.isPresent() && !old.isEmpty()) {
                surging++;
            }
        }
        for (String node : eligible) {
            List<ObjectNode> here = live(byNode, node);
            Optional<ObjectNode> fresh = here.stream().filter(p -> hash.equals(revision(p))).findFirst();
            List<ObjectNode> old = here.stream().filter(p -> !hash.equals(revision(p))).toList();
            if (old.isEmpty()) {
                continue;
            }
            boolean oldAvailable = old.stream().anyMatch(p -> Pods.available(p, minReady, now));
            if (maxSurge == 0) {
                if (fresh.isPresent()) {
                    continue;
                }
                if (!oldAvailable) {
                    old.forEach(delete);
                } else if (unavailable < maxUnavailable) {
                    old.forEach(delete);
                    unavailable++;
                }
            } else if (fresh.isEmpty()) {
                if (!oldAvailable) {
                    old.forEach(delete);
                } else if (surging < maxSurge) {
                    create.accept(node);
                    surging++;
                }
            } else if (Pods.available(fresh.get(), minReady, now)) {
                old.forEach(delete);
            }
        }
    }

    private static List<ObjectNode> live(Map<String, List<ObjectNode>> byNode, String node) {
        return byNode.getOrDefault(node, List.of()).stream()
                .filter(p -> !Pods.terminating(p) && !"Failed".equals(Pods.phase(p))).toList();
    }

    private static String revision(JsonNode pod) {
        return pod.path("metadata").path("labels").path(ControllerRevisions.POD_LABEL).asText();
    }
}
