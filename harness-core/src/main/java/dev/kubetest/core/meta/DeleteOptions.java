package dev.kubetest.core.meta;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code metav1.DeleteOptions}: propagation, grace period, preconditions, dry run. */
public record DeleteOptions(String propagationPolicy, Long gracePeriodSeconds, String preconditionUid,
                            String preconditionResourceVersion, boolean dryRun, Boolean orphanDependents) {

    public static DeleteOptions defaults() {
        return new DeleteOptions(null, null, null, null, false, null);
    }

    public static DeleteOptions propagation(String policy) {
        return new DeleteOptions(policy, null, null, null, false, null);
    }

    /** Deletes only the object with this uid (a controller acting on what it read): 409 for any other. */
    public static DeleteOptions ifUid(String uid) {
        return new DeleteOptions(null, null, uid, null, false, null);
    }

    /** The same options with this propagation policy. */
    public DeleteOptions withPropagation(String policy) {
        return new DeleteOptions(policy, gracePeriodSeconds, preconditionUid, preconditionResourceVersion, dryRun,
                orphanDependents);
    }

    /** The same options with this grace period (0: remove the object at once). */
    public DeleteOptions withGracePeriod(long seconds) {
        return new DeleteOptions(propagationPolicy, seconds, preconditionUid, preconditionResourceVersion, dryRun,
                orphanDependents);
    }

    /** Reads a DeleteOptions body; query parameters given separately win over the body. */
    public static DeleteOptions fromJson(JsonNode body, String queryPolicy, String queryGrace, boolean queryDryRun,
                                         String queryOrphan) {
        JsonNode b = body == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : body;
        String policy = queryPolicy != null ? queryPolicy : text(b.get("propagationPolicy"));
        Long grace = queryGrace != null ? Long.valueOf(queryGrace)
                : b.hasNonNull("gracePeriodSeconds") ? b.get("gracePeriodSeconds").asLong() : null;
        boolean dryRun = queryDryRun || (b.path("dryRun").isArray() && b.path("dryRun").size() > 0);
        Boolean orphan = queryOrphan != null ? Boolean.valueOf(queryOrphan)
                : b.hasNonNull("orphanDependents") ? b.get("orphanDependents").asBoolean() : null;
        JsonNode pre = b.path("preconditions");
        return new DeleteOptions(policy, grace, text(pre.get("uid")), text(pre.get("resourceVersion")), dryRun, orphan);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
