package dev.kubetest.core.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The kubelet's {@code runAsNonRoot} check before it creates a container (upstream's verifyRunAsNonRoot): with the
 * effective security context asking for a non-root user, a {@code runAsUser} of 0, or no runAsUser and an image
 * that runs as root (uid 0, or no user at all) or as a user named without a uid, is refused with a message that
 * becomes a CreateContainerConfigError. Pure functions.
 */
final class NonRootPolicy {
    private NonRootPolicy() {}

    /**
     * Why the container may not be created, if it may not: {@code securityContext} is the effective one (pod fields
     * merged), {@code imageUser} the image's user ("" for root), {@code pod} upstream's pod reference
     * {@code name_namespace(uid)}.
     */
    static Optional<String> violation(JsonNode securityContext, String imageUser, String pod, String container) {
        return violation(securityContext, () -> imageUser, pod, container);
    }

    /** The same, asking the runtime for the image's user only when the check needs it (an engine round trip). */
    static Optional<String> violation(JsonNode securityContext, java.util.function.Supplier<String> imageUser, String pod,
                                      String container) {
        if (!securityContext.path("runAsNonRoot").asBoolean(false)) {
            return Optional.empty();
        }
        String where = " (pod: \"" + pod + "\", container: " + container + ")";
        if (securityContext.hasNonNull("runAsUser")) {
            return securityContext.path("runAsUser").asLong() == 0
                    ? Optional.of("container's runAsUser breaks non-root policy" + where) : Optional.empty();
        }
        String asked = imageUser.get();
        String user = asked == null ? "" : asked.trim();
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (name.isEmpty() || name.matches("0+")) {
            return Optional.of("container has runAsNonRoot and image will run as root" + where);
        }
        if (!name.matches("\\d+")) {
            return Optional.of("container has runAsNonRoot and image has non-numeric user (" + name
                    + "), cannot verify user is non-root" + where);
        }
        return Optional.empty();
    }
}
