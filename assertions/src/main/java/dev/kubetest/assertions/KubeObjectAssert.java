package dev.kubetest.assertions;

import dev.kubetest.assertions.error.ShouldExist;
import dev.kubetest.assertions.error.ShouldHaveEvent;
import dev.kubetest.assertions.error.ShouldHaveLabel;
import dev.kubetest.assertions.error.ShouldNotExist;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.meta.ListOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * What every Kubernetes object assertion has: a source to read the object from (again and again for live sources),
 * the way checks are judged (now, {@link #eventually()}, {@link #during(Duration)}), existence, labels,
 * annotations and events. Subclasses add the checks of their kind; each is a {@link Check} with its own
 * error-message factory.
 */
public abstract class KubeObjectAssert<SELF extends KubeObjectAssert<SELF, T>, T extends HasMetadata> extends AbstractAssert<SELF, T> {
    protected final ObjectSource<T> source;
    private Wait wait = Wait.now();
    private java.util.function.Consumer<AssertionError> softly;

    protected KubeObjectAssert(ObjectSource<T> source, Class<?> selfType) {
        super(source.current().orElse(null), selfType);
        this.source = source;
        withRepresentation(KubeRepresentation.INSTANCE);
    }

    /**
     * The checks that follow wait until they hold, up to the cluster's wait timeout (its builder's
     * {@code waitTimeout}, which {@code @KubeTest(timeout = ...)} sets) or else {@link Wait#defaultTimeout()}.
     */
    public SELF eventually() {
        return eventually(source.cluster().map(dev.kubetest.core.KubeCluster::waitTimeout).filter(java.util.Objects::nonNull)
                .orElseGet(Wait::defaultTimeout));
    }

    /**
     * The checks that follow wait until they hold, up to {@code timeout} (cluster time for an in-process cluster),
     * and fail at once when the object reaches a state from which they never can.
     */
    public SELF eventually(Duration timeout) {
        requireLive("eventually()");
        this.wait = new Wait(Wait.Mode.EVENTUALLY, timeout);
        return myself;
    }

    /** The checks that follow must hold at every reading for {@code period} (for example: stays Pending for a minute). */
    public SELF during(Duration period) {
        requireLive("during()");
        this.wait = new Wait(Wait.Mode.DURING, period);
        return myself;
    }

    /** The checks that follow are judged once, on the object as it is now (the default). */
    public SELF now() {
        this.wait = Wait.now();
        return myself;
    }

    private void requireLive(String method) {
        if (!source.live()) {
            throw new IllegalStateException(method + " needs an object it can read again: pass a reference such as "
                    + "cluster.pod(namespace, name) or client.pods().withName(name), not the object itself");
        }
    }

    /** Judges {@code check} as the current wait mode says; {@code what} names the expectation for the wait. */
    protected SELF check(String what, Check<T> check) {
        try {
            Waits.judge(source, wait, what, check, info);
        } catch (AssertionError e) {
            if (softly == null) {
                throw e;
            }
            softly.accept(e);
        }
        return myself;
    }

    /** Failures go to {@code collector} instead of being thrown ({@link KubeSoftAssertions}). */
    SELF collectingInto(java.util.function.Consumer<AssertionError> collector) {
        this.softly = collector;
        return myself;
    }

    java.util.function.Consumer<AssertionError> collector() {
        return softly;
    }

    /** A check that needs the object: it fails (never hopelessly: it may yet appear) when the object does not exist. */
    protected SELF checkPresent(String what, java.util.function.Function<T, Verdict> check) {
        return check(what, o -> o == null ? Verdict.fail(ShouldExist.shouldExist(source.describe())) : check.apply(o));
    }

    /** The current wait mode, for assertions that continue a chain on another object's checks. */
    protected Wait waitMode() {
        return wait;
    }

    protected SELF withWait(Wait wait) {
        this.wait = wait;
        return myself;
    }

    protected String describe() {
        return source.describe();
    }

    /**
     * A replica count read from the status (0 without a status) equals {@code n}: the one check behind every
     * workload's {@code hasXxxReplicas}; {@code unit} is "replicas", or "pods" for a DaemonSet.
     */
    protected SELF hasCount(String which, String unit, int n, java.util.function.Function<T, Integer> read,
                            java.util.function.Function<T, String> status) {
        return checkPresent("has " + n + " " + which + " " + unit, o -> {
            int actual = read.apply(o);
            return actual == n ? Verdict.pass() : Verdict.fail(dev.kubetest.assertions.error.ShouldHaveReplicas.shouldHaveReplicas(
                    describe(), which, unit, n, actual, status.apply(o)));
        });
    }

    public SELF exists() {
        return checkPresent("exists", o -> Verdict.pass());
    }

    public SELF doesNotExist() {
        return check("is gone", o -> o == null ? Verdict.pass()
                : Verdict.fail(ShouldNotExist.shouldNotExist(describe(), Describe.status(o))));
    }

    public SELF hasLabel(String key, String value) {
        return checkPresent("has label " + key + "=" + value, o -> {
            Map<String, String> labels = o.getMetadata().getLabels();
            return labels != null && Objects.equals(labels.get(key), value) ? Verdict.pass()
                    : Verdict.fail(ShouldHaveLabel.shouldHaveLabel(describe(), "label " + key + "=" + value, "labels " + labels));
        });
    }

    public SELF hasAnnotation(String key, String value) {
        return checkPresent("has annotation " + key + "=" + value, o -> {
            Map<String, String> annotations = o.getMetadata().getAnnotations();
            return annotations != null && Objects.equals(annotations.get(key), value) ? Verdict.pass()
                    : Verdict.fail(ShouldHaveLabel.shouldHaveLabel(describe(), "annotation " + key + "=" + value,
                    "annotations " + annotations));
        });
    }

    /** An event about this object with this reason (any type), as {@code kubectl describe} lists them. */
    public SELF hasEvent(String reason) {
        return hasEvent(null, reason, null);
    }

    /** A Warning event about this object with this reason. */
    public SELF hasWarningEvent(String reason) {
        return hasEvent("Warning", reason, null);
    }

    /** An event with this reason whose message contains {@code messagePart}. */
    public SELF hasEvent(String reason, String messagePart) {
        return hasEvent(null, reason, messagePart);
    }

    private SELF hasEvent(String type, String reason, String messagePart) {
        String expected = (type == null ? "" : type + " ") + reason + (messagePart == null ? "" : " saying \"" + messagePart + "\"");
        return checkPresent("has event " + expected, o -> {
            List<Event> events = events(o);
            boolean found = events.stream().anyMatch(e -> reason.equals(e.getReason())
                    && (type == null || type.equals(e.getType()))
                    && (messagePart == null || (e.getMessage() != null && e.getMessage().contains(messagePart))));
            return found ? Verdict.pass() : Verdict.fail(ShouldHaveEvent.shouldHaveEvent(describe(), expected,
                    events.isEmpty() ? "none" : events.stream().map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage())
                            .collect(Collectors.joining("; "))));
        });
    }

    /** The events about {@code o} (its UID), oldest first; needs an in-process cluster. */
    protected List<Event> events(T o) {
        KubeCluster cluster = source.cluster().orElseThrow(() -> new IllegalStateException(
                "events are read from an in-process cluster: pass a reference such as cluster.pod(namespace, name)"));
        String uid = o.getMetadata().getUid();
        return cluster.client().list(Event.class, o.getMetadata().getNamespace(), ListOptions.all()).stream()
                .filter(e -> e.getInvolvedObject() != null && Objects.equals(uid, e.getInvolvedObject().getUid()))
                .sorted(Comparator.comparing((Event e) -> Objects.toString(e.getLastTimestamp(), Objects.toString(e.getEventTime() == null ? null
                        : e.getEventTime().getTime(), ""))))
                .toList();
    }
}
