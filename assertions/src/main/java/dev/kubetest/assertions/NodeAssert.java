package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldBeReady.shouldBeReady;
import static dev.kubetest.assertions.error.ShouldHaveLabel.shouldHaveLabel;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;

/** Assertions on a Node: Ready, schedulable, taints. */
public class NodeAssert extends KubeObjectAssert<NodeAssert, Node> {

    public NodeAssert(ObjectSource<Node> source) {
        super(source, NodeAssert.class);
    }

    private static boolean ready(Node n) {
        return n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    public NodeAssert isReady() {
        return checkPresent("is Ready", n -> ready(n) ? Verdict.pass() : Verdict.fail(shouldBeReady(describe(), true, Describe.status(n))));
    }

    public NodeAssert isNotReady() {
        return checkPresent("is not Ready", n -> !ready(n) ? Verdict.pass() : Verdict.fail(shouldBeReady(describe(), false, Describe.status(n))));
    }

    public NodeAssert isSchedulable() {
        return checkPresent("is schedulable", n -> !Boolean.TRUE.equals(n.getSpec().getUnschedulable()) ? Verdict.pass()
                : Verdict.fail(shouldHaveLabel(describe(), "scheduling enabled", "it cordoned")));
    }

    /** A taint with this key and effect (NoSchedule, PreferNoSchedule, NoExecute). */
    public NodeAssert hasTaint(String key, String effect) {
        return checkPresent("has taint " + key + ":" + effect, n -> {
            List<Taint> taints = n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
            return taints.stream().anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect())) ? Verdict.pass()
                    : Verdict.fail(shouldHaveLabel(describe(), "taint " + key + ":" + effect, taints.isEmpty() ? "no taints"
                    : "taints " + taints.stream().map(t -> t.getKey() + (t.getValue() == null ? "" : "=" + t.getValue()) + ":" + t.getEffect()).toList()));
        });
    }
}
