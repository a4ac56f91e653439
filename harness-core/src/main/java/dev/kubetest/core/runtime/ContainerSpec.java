package dev.kubetest.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A container to create: its pod, its spec from the Pod object, the resolved environment and command line,
 * the annotations of its pod (behaviours can be chosen by annotation), and the files the kubelet manages in it
 * ({@code /etc/hosts}, {@code /etc/resolv.conf}) by path.
 */
public record ContainerSpec(String namespace, String podName, String podUid, String name, String image,
                            List<String> command, List<String> args, Map<String, String> env,
                            Map<String, String> podAnnotations, JsonNode container, String podIp, String hostname,
                            List<Mount> mounts, Map<String, String> files) {

    /** A container without kubelet-managed files. */
    public ContainerSpec(String namespace, String podName, String podUid, String name, String image, List<String> command,
                         List<String> args, Map<String, String> env, Map<String, String> podAnnotations, JsonNode container,
                         String podIp, String hostname, List<Mount> mounts) {
        this(namespace, podName, podUid, name, image, command, args, env, podAnnotations, container, podIp, hostname, mounts,
                Map.of());
    }

    /** A volume mounted into the container at {@code mountPath} ({@code subPath} inside the volume, if set). */
    public record Mount(String volume, String mountPath, String subPath, boolean readOnly) {}
}
