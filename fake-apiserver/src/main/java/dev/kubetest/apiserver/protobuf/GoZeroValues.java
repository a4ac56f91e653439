package dev.kubetest.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Go's protobuf encoder writes every non-pointer field, zero values included, while the JSON form of the same
 * object leaves them out ({@code omitempty}). Decoding a protobuf body must therefore drop zero values, except
 * for the pointer fields where a zero is meaningful (replicas: 0, automountServiceAccountToken: false, ...).
 */
final class GoZeroValues {
    private static final Set<String> MEANINGFUL_ZERO_NUMBERS = Set.of(
            "replicas", "parallelism", "completions", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes",
            "activeDeadlineSeconds", "terminationGracePeriodSeconds", "progressDeadlineSeconds", "revisionHistoryLimit",
            "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "startingDeadlineSeconds", "ttlSecondsAfterFinished",
            "value", "expirationSeconds", "minReplicas", "maxReplicas", "targetCPUUtilizationPercentage", "port",
            "containerPort", "exitCode", "runAsUser", "runAsGroup", "fsGroup", "defaultMode", "mode",
            "gracePeriodSeconds", "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold",
            "failureThreshold", "priority", "weight", "partition", "minReadySeconds", "tolerationSeconds",
            "averageUtilization", "seconds", "stabilizationWindowSeconds", "leaseDurationSeconds",
            "leaseTransitions", "minAvailable", "maxUnavailable", "maxSurge");
    private static final Set<String> MEANINGFUL_FALSE = Set.of(
            "automountServiceAccountToken", "allowPrivilegeEscalation", "runAsNonRoot", "privileged",
            "readOnlyRootFilesystem", "hostUsers", "enableServiceLinks", "setHostnameAsFQDN", "shareProcessNamespace",
            "optional", "immutable", "suspend", "allowVolumeExpansion", "publishNotReadyAddresses", "ready",
            "serving", "terminating", "allocateLoadBalancerNodePorts", "manualSelector", "controller",
            "blockOwnerDeletion", "allowed", "denied", "authenticated", "started", "unschedulable",
            "requireAttachment", "podInfoOnMount", "readOnly");

    private GoZeroValues() {}

    static boolean omitted(String field, JsonNode value) {
        if (value.isTextual()) {
            return value.asText().isEmpty();
        }
        if (value.isBoolean()) {
            return !value.asBoolean() && !MEANINGFUL_FALSE.contains(field);
        }
        if (value.isNumber()) {
            return value.asDouble() == 0 && !MEANINGFUL_ZERO_NUMBERS.contains(field);
        }
        return false;
    }
}
