package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldHaveLabel.shouldHaveLabel;
import static dev.kubetest.assertions.error.ShouldHavePhase.shouldHavePhase;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Objects;

/** Assertions on a PersistentVolumeClaim: Bound (hopeless once Lost), Lost, Pending, its volume and capacity. */
public class ClaimAssert extends KubeObjectAssert<ClaimAssert, PersistentVolumeClaim> {

    public ClaimAssert(ObjectSource<PersistentVolumeClaim> source) {
        super(source, ClaimAssert.class);
    }

    private static String phase(PersistentVolumeClaim c) {
        return c.getStatus() == null || c.getStatus().getPhase() == null ? "Pending" : c.getStatus().getPhase();
    }

    public ClaimAssert hasPhase(String phase) {
        return checkPresent("is " + phase, c -> Objects.equals(phase(c), phase) ? Verdict.pass()
                : Verdict.failUnless("Lost".equals(phase(c)), shouldHavePhase(describe(), phase, Describe.status(c))));
    }

    public ClaimAssert isBound() {
        return hasPhase("Bound");
    }

    public ClaimAssert isPending() {
        return hasPhase("Pending");
    }

    public ClaimAssert isLost() {
        return hasPhase("Lost");
    }

    /** {@code status.capacity.storage} equals {@code quantity} (as a quantity: 1Gi equals 1024Mi). */
    public ClaimAssert hasCapacity(String quantity) {
        return checkPresent("has capacity " + quantity, c -> {
            Quantity actual = c.getStatus() == null || c.getStatus().getCapacity() == null ? null : c.getStatus().getCapacity().get("storage");
            return actual != null && actual.getNumericalAmount().compareTo(new Quantity(quantity).getNumericalAmount()) == 0
                    ? Verdict.pass() : Verdict.fail(shouldHaveLabel(describe(), "capacity " + quantity, "capacity " + actual));
        });
    }
}
