package dev.kubetest.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against an in-process Kubernetes cluster: an API server speaking the real REST and
 * watch protocol, the scheduler, the controllers and simulated kubelets.
 *
 * <p>The cluster is injected into fields and parameters of type {@link dev.kubetest.core.KubeCluster}; the fabric8
 * {@code KubernetesClient} and the official client-java {@code ApiClient} point at it; a {@code java.nio.file.Path}
 * marked {@link Kubeconfig} is a kubeconfig file for kubectl or any other tool; a {@code String} marked
 * {@link TestNamespace} is the test's own namespace. Every setting left at its default here can be set for a whole
 * suite with a {@code kubetest.*} JUnit configuration parameter (see {@link KubeTestSettings}).
 *
 * <p>Usable as a meta-annotation: put it on your own annotation to share one cluster shape between classes.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KubeTestExtension.class)
public @interface KubeTest {

    /** How many default nodes ({@code kubetest-node-1..n}: 4 CPUs, 16 GiB, 110 pods); 0 with {@link #nodeSpecs}. */
    int nodes() default -1;

    /** Nodes of a given shape, instead of (or, with {@link #nodes}, besides) the default ones. */
    Node[] nodeSpecs() default {};

    /** The container runtime the kubelets drive. */
    Runtime runtime() default Runtime.DEFAULT;

    /** How cluster time moves: AUTO skips ahead whenever the cluster is idle (the default), MANUAL only when told. */
    Time time() default Time.DEFAULT;

    /** Controllers switched off by name (for example {@code "garbagecollector"}, {@code "deployment"}, or {@code "*"}). */
    String[] disabledControllers() default {};

    /**
     * Manifests applied before the first test, in order: {@code classpath:} resources or file paths, each a file of
     * one or more YAML or JSON documents or a directory of them. Objects naming no namespace go to {@code default}.
     */
    String[] manifests() default {};

    /** HTTPS (the default, with a generated cluster CA) or plain HTTP. */
    Protocol protocol() default Protocol.DEFAULT;

    /** The Kubernetes version the cluster reports, for example {@code "1.31.2"} (default 1.32.4). */
    String kubernetesVersion() default "";

    /**
     * How long assertions' {@code eventually()} waits on this cluster, in cluster time, as an ISO-8601 duration
     * ({@code "PT2M"}) or seconds ({@code "90"}); default 30 s.
     */
    String timeout() default "";

    /** How long the cluster lives: for the class (default), or a fresh one for each test method. */
    Lifetime lifetime() default Lifetime.DEFAULT;

    /** How tests of one class are kept apart (default: a fresh namespace per test method). */
    Isolation isolation() default Isolation.DEFAULT;

    /** A simulated node of a given shape. */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Node {
        String name();

        /** Labels as {@code key=value}. */
        String[] labels() default {};

        /** Taints as {@code key=value:Effect} or {@code key:Effect}. */
        String[] taints() default {};

        String cpu() default "4";

        String memory() default "16Gi";

        int pods() default 110;
    }

    enum Runtime { DEFAULT, SIMULATED, DOCKER }

    enum Time { DEFAULT, AUTO, MANUAL, REAL }

    enum Protocol { DEFAULT, HTTPS, HTTP }

    enum Lifetime { DEFAULT, PER_CLASS, PER_METHOD }

    enum Isolation {
        DEFAULT,
        /** A fresh namespace per test method, deleted after a test that passed, kept for inspection otherwise. */
        NAMESPACE,
        /** A fresh cluster per test method (the same as {@link Lifetime#PER_METHOD}). */
        CLUSTER,
        /**
         * The cluster's objects as they were after class set-up ({@code @BeforeAll} included) are restored after
         * each test method, as ordinary writes at new resourceVersions: informers and operators running in the
         * test see events, never a rewind. Tests use the {@code default} namespace.
         */
        SNAPSHOT,
        /** Nothing: the tests of a class share the cluster and the {@code default} namespace. */
        NONE
    }
}
