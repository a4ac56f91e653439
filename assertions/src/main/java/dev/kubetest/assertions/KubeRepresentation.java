package dev.kubetest.assertions;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.assertj.core.presentation.StandardRepresentation;

/**
 * How Kubernetes objects appear in failure messages: {@code pod default/web-0 (phase Running; Ready True; container
 * web running, ready, 0 restarts)}, one line, instead of the model's toString (a page of nulls).
 */
public final class KubeRepresentation extends StandardRepresentation {
    public static final KubeRepresentation INSTANCE = new KubeRepresentation();

    @Override
    public String toStringOf(Object object) {
        if (object instanceof HasMetadata o) {
            return Describe.name(o) + " (" + Describe.status(o) + ")";
        }
        if (object instanceof ContainerStatus cs) {
            return "container " + cs.getName() + " (" + Describe.container(cs) + ")";
        }
        return super.toStringOf(object);
    }
}
