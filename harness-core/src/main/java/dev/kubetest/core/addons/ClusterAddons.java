package dev.kubetest.core.addons;

import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.manifest.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The workloads kubeadm (and so kind) installs in {@code kube-system}, so that a fresh cluster looks like one:
 * CoreDNS (a Deployment of two behind the kube-dns Service at 10.96.0.10, whose readiness gates the cluster DNS)
 * and kube-proxy (a host-network DaemonSet). Each can be left out with {@code withoutController("coredns")} or
 * {@code withoutController("kube-proxy")}.
 */
public final class ClusterAddons {
    /** The name that leaves CoreDNS and the kube-dns Service out. */
    public static final String COREDNS = "coredns";
    /** The name that leaves the kube-proxy DaemonSet out. */
    public static final String KUBE_PROXY = "kube-proxy";

    private ClusterAddons() {}

    /** Creates the addons not in {@code disabled}, with the images of Kubernetes {@code version} (e.g. 1.32.4). */
    public static void install(KubeApi api, String version, java.util.Set<String> disabled) {
        for (String addon : List.of(COREDNS, KUBE_PROXY)) {
            if (disabled.contains(addon)) {
                continue;
            }
            String yaml = resource("kubetest/addons/" + addon + ".yaml")
                    .replace("COREDNS_VERSION", coreDnsVersion(version)).replace("KUBE_VERSION", "v" + version);
            try {
                Manifests.apply(api, Manifests.parse(yaml), "kubeadm", "kube-system");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@link #install} on a thread of its own, beside the boot; the future fails if the cluster closed meanwhile. */
    public static java.util.concurrent.CompletableFuture<Void> installAsync(KubeApi api, String version, java.util.Set<String> disabled) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                install(api, version, disabled);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "kubetest-addons");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** The CoreDNS release kubeadm installs with a Kubernetes minor. */
    static String coreDnsVersion(String kubernetesVersion) {
        String[] parts = kubernetesVersion.split("\\.");
        int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 32;
        if (minor <= 30) {
            return "v1.11.1";
        }
        return minor <= 32 ? "v1.11.3" : "v1.12.0";
    }

    private static String resource(String path) {
        // Class, not its loader: on the boot class path (the standalone server's archive) the loader is null
        try (InputStream in = ClusterAddons.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
