package dev.kubetest.core.meta;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1Gi}, {@code 2e3}) as exact numbers, for the scheduler's
 * fit, the kubelet's limits and the runtime's memory checks alike. Pure.
 */
public final class Quantities {
    private Quantities() {}

    /** The quantity's value in base units (cores, bytes), exactly. */
    public static BigDecimal amount(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity));
    }
}
