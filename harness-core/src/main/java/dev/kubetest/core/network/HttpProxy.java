package dev.kubetest.core.network;

import dev.kubetest.core.runtime.ClusterNetwork;
import java.util.List;
import java.util.Optional;

/** A layer-7 proxy on the simulated network (the ingress controller, Gateways): where it listens and how it answers. */
public interface HttpProxy {

    /** Its answer to {@code request} sent from {@code fromIp} to {@code ip:port}; empty when it does not listen there. */
    Optional<byte[]> serve(String fromIp, String ip, int port, HttpRequest request, ClusterNetwork.Upstream upstream);

    /** The addresses a host name it serves resolves to from outside the cluster (as a DNS record for it would). */
    default List<String> addressesOf(String host) {
        return List.of();
    }
}
