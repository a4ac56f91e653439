package dev.kubetest.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's securityContext as engine settings, as the CRI runtimes apply it: {@code privileged},
 * {@code capabilities.add/drop} (names with or without the {@code CAP_} prefix; {@code ALL}),
 * {@code allowPrivilegeEscalation: false} as no-new-privileges, and {@code seccompProfile.type: Unconfined}.
 */
final class SecurityOptions {
    private SecurityOptions() {}

    static void apply(HostConfig host, JsonNode securityContext) {
        if (securityContext.path("privileged").asBoolean(false)) {
            host.withPrivileged(true);
        }
        List<Capability> add = capabilities(securityContext.path("capabilities").path("add"));
        if (!add.isEmpty()) {
            host.withCapAdd(add.toArray(Capability[]::new));
        }
        List<Capability> drop = capabilities(securityContext.path("capabilities").path("drop"));
        if (!drop.isEmpty()) {
            host.withCapDrop(drop.toArray(Capability[]::new));
        }
        List<String> options = new ArrayList<>();
        if (securityContext.has("allowPrivilegeEscalation") && !securityContext.path("allowPrivilegeEscalation").asBoolean(true)) {
            options.add("no-new-privileges");
        }
        if (securityContext.path("seccompProfile").path("type").asText("").equals("Unconfined")) {
            options.add("seccomp=unconfined");
        }
        if (!options.isEmpty()) {
            host.withSecurityOpts(options);
        }
    }

    /** Capability names the engine knows; others are left out (the engine would refuse the container). */
    static List<Capability> capabilities(JsonNode names) {
        List<Capability> out = new ArrayList<>();
        for (JsonNode n : names) {
            String name = n.asText().toUpperCase(java.util.Locale.ROOT);
            name = name.startsWith("CAP_") ? name.substring(4) : name;
            try {
                out.add(Capability.valueOf(name));
            } catch (IllegalArgumentException unknown) {
                // not a capability docker-java names
            }
        }
        return out;
    }
}
