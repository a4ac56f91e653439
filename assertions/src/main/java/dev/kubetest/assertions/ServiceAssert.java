package dev.kubetest.assertions;

import static dev.kubetest.assertions.error.ShouldHaveCount.shouldHaveCount;
import static dev.kubetest.assertions.error.ShouldHaveLabel.shouldHaveLabel;

import dev.kubetest.core.meta.ListOptions;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Objects;

/** Assertions on a Service: its type, cluster IP and ports, and the ready endpoints its EndpointSlices list. */
public class ServiceAssert extends KubeObjectAssert<ServiceAssert, Service> {

    public ServiceAssert(ObjectSource<Service> source) {
        super(source, ServiceAssert.class);
    }

    public ServiceAssert hasType(String type) {
        return checkPresent("is of type " + type, s -> Objects.equals(type, s.getSpec().getType()) ? Verdict.pass()
                : Verdict.fail(shouldHaveLabel(describe(), "type " + type, "type " + s.getSpec().getType())));
    }

    /** A cluster IP was allocated (not a headless Service). */
    public ServiceAssert hasClusterIP() {
        return checkPresent("has a cluster IP", s -> s.getSpec().getClusterIP() != null && !"None".equals(s.getSpec().getClusterIP())
                ? Verdict.pass() : Verdict.fail(shouldHaveLabel(describe(), "a cluster IP", "cluster IP " + s.getSpec().getClusterIP())));
    }

    public ServiceAssert hasPort(int port) {
        return checkPresent("has port " + port, s -> s.getSpec().getPorts().stream().anyMatch(p -> p.getPort() != null && p.getPort() == port)
                ? Verdict.pass() : Verdict.fail(shouldHaveLabel(describe(), "port " + port, "ports "
                + s.getSpec().getPorts().stream().map(p -> p.getPort() + "/" + p.getProtocol()).toList())));
    }

    /** The Service's EndpointSlices ({@code kubernetes.io/service-name}) list {@code n} ready endpoints. */
    public ServiceAssert hasReadyEndpoints(int n) {
        return checkPresent("has " + n + " ready endpoints", s -> {
            var cluster = source.cluster().orElseThrow(() -> new IllegalStateException(
                    "endpoints are read from an in-process cluster: pass a reference such as cluster.service(namespace, name)"));
            int ready = 0;
            for (EndpointSlice slice : cluster.client().list(EndpointSlice.class, s.getMetadata().getNamespace(),
                    ListOptions.labels("kubernetes.io/service-name=" + s.getMetadata().getName()))) {
                if (slice.getEndpoints() != null) {
                    ready += (int) slice.getEndpoints().stream().filter(e -> e.getConditions() == null
                            || e.getConditions().getReady() == null || e.getConditions().getReady()).count();
                }
            }
            return ready == n ? Verdict.pass() : Verdict.fail(shouldHaveCount(describe(), "ready endpoints", Integer.toString(n), ready,
                    "type " + s.getSpec().getType()));
        });
    }
}
