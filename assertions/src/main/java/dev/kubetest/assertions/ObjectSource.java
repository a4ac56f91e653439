package dev.kubetest.assertions;

import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where an assertion reads its object: a snapshot (the object as given, never re-read), a cluster reference (read
 * afresh, and the cluster's clock to wait on) or a fabric8 resource (read afresh over HTTP, waits in wall time).
 */
public interface ObjectSource<T extends HasMetadata> {

    /** The object now; empty when it does not exist. */
    Optional<T> current();

    /** {@code pod default/web-0}. */
    String describe();

    /** The in-process cluster, when there is one: waits then move its clock rather than sleep. */
    Optional<KubeCluster> cluster();

    /** Whether a second read can differ from the first (so waiting makes sense). */
    boolean live();

    static <T extends HasMetadata> ObjectSource<T> snapshot(T object) {
        String what = object == null ? "object" : Describe.name(object);
        return new Simple<>(() -> Optional.ofNullable(object), what, null, false);
    }

    static <T extends HasMetadata> ObjectSource<T> of(ObjectRef<T> ref) {
        return new Simple<>(ref::get, ref.toString(), ref.cluster(), true);
    }

    /** A fabric8 resource; it is named after the object once a reading found it ({@code kind} until then). */
    static <T extends HasMetadata> ObjectSource<T> of(Resource<T> resource, String kind) {
        java.util.concurrent.atomic.AtomicReference<String> name = new java.util.concurrent.atomic.AtomicReference<>(kind + " (not found)");
        Supplier<Optional<T>> reader = () -> {
            Optional<T> o = Optional.ofNullable(resource.get());
            o.ifPresent(x -> name.set(Describe.name(x)));
            return o;
        };
        return new ObjectSource<>() {
            @Override
            public Optional<T> current() {
                return reader.get();
            }

            @Override
            public String describe() {
                return name.get();
            }

            @Override
            public Optional<KubeCluster> cluster() {
                return Optional.empty();
            }

            @Override
            public boolean live() {
                return true;
            }
        };
    }

    /** A source from its parts. */
    record Simple<T extends HasMetadata>(Supplier<Optional<T>> reader, String describe, KubeCluster clusterOrNull,
                                         boolean live) implements ObjectSource<T> {
        @Override
        public Optional<T> current() {
            return reader.get();
        }

        @Override
        public Optional<KubeCluster> cluster() {
            return Optional.ofNullable(clusterOrNull);
        }
    }
}
