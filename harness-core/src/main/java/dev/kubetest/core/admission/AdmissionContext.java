package dev.kubetest.core.admission;

import java.util.function.BiPredicate;
import java.util.random.RandomGenerator;

/**
 * What admission needs from its cluster: the Service address ranges it allocates from, the service account,
 * priority class, default storage class and default IngressClass lookups, and the cluster's random source.
 */
public record AdmissionContext(ServiceAddresses addresses, BiPredicate<String, String> serviceAccountExists,
                               PriorityAdmission.Classes priorityClasses,
                               java.util.function.Supplier<java.util.Optional<String>> defaultStorageClass,
                               java.util.function.Function<String, java.util.Optional<com.fasterxml.jackson.databind.JsonNode>> storageClass,
                               RandomGenerator random,
                               java.util.function.Supplier<java.util.List<String>> defaultIngressClasses) {}
