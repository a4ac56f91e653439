package dev.kubetest.core.kubelet;

import dev.kubetest.core.controller.ObjectKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.DeleteOptions;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.controller.QueueController;
import dev.kubetest.core.events.EventRecorder;
import dev.kubetest.core.runtime.ContainerProcess;
import dev.kubetest.core.runtime.ContainerRuntime;
import dev.kubetest.core.runtime.ContainerSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kubelet of one simulated node, written once against {@link ContainerRuntime}: runs the pods bound to its
 * node (init containers in order, sidecars, then the main containers), pulls images, restarts containers per
 * restartPolicy with back-off, runs probes (via {@link ProbeLoop}), terminates pods gracefully, and reports pod
 * status and events as upstream.
 */
public final class Kubelet extends QueueController<String> {
    private final KubeApi api;
    private final ContainerRuntime runtime;
    private final String node;
    private final String hostIp;
    /** The first three octets of the node's pod CIDR (a /24): pods get .2, .3, ... */
    private final String podIpPrefix;
    private final ResourceType pods;
    private final EventRecorder events;
    private final PodFailures failures;
    private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
    private final ImagePuller images;
    private final AtomicInteger nextIp = new AtomicInteger(2);

    /** The kubelet of {@code node}, whose address is {@code hostIp} and whose pods take IPs in {@code podCidr} (a /24). */
    public Kubelet(KubeApi api, ContainerRuntime runtime, String node, String hostIp, String podCidr) {
        super(api.clock());
        this.api = api;
        this.runtime = runtime;
        this.node = node;
        this.podIpPrefix = podCidr.substring(0, podCidr.lastIndexOf('.') + 1);
        this.hostIp = hostIp;
        this.pods = api.registry().find("", "v1", "pods").orElseThrow();
        this.events = new EventRecorder(api, "kubelet", node);
        this.images = new ImagePuller(runtime, events, api.clock());
        this.failures = new PodFailures(this, api, runtime, events, key -> queue.add(key));
    }

    /** Whether {@code run} is still the kubelet's current run of the pod {@code key}. */
    boolean runs(String key, PodRun run) {
        return runs.get(key) == run;
    }

    @Override
    public String name() {
        return "kubelet-" + node;
    }

    public String node() {
        return node;
    }


    @Override
    protected void watch() {
        onClose(api.lists().watch(pods, null, ListOptions.all().withFieldSelector("spec.nodeName=" + node),
                (type, pod) -> queue.add(ObjectKeys.of(pod))));
        for (String source : List.of("configmaps", "secrets")) {
            ResourceType t = api.registry().find("", "v1", source).orElseThrow();
            onClose(api.lists().watch(t, null, ListOptions.all().withResourceVersion(Long.toString(api.lists().currentRevision())),
                    (type, obj) -> {
                        String ns = obj.path("metadata").path("namespace").asText();
                        runs.keySet().stream().filter(k -> k.startsWith(ns + "/")).forEach(queue::add);
                    }));
        }
    }

    /** The container of a running pod (for exec, logs and the Java API), or null. */
    public ContainerProcess container(String namespace, String pod, String container) {
        PodRun run = runs.get(namespace + "/" + pod);
        if (run == null) {
            return null;
        }
        for (ContainerRun c : run.all()) {
            if (c.name.equals(container)) {
                return c.process();
            }
        }
        return null;
    }

    /** The previous instance of a container (for {@code logs --previous}), or null. */
    public ContainerProcess previous(String namespace, String pod, String container) {
        PodRun run = runs.get(namespace + "/" + pod);
        if (run == null) {
            return null;
        }
        for (ContainerRun c : run.all()) {
            if (c.name.equals(container)) {
                return c.previousProcess();
            }
        }
        return null;
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    protected Result reconcile(String key) {
        String ns = ObjectKeys.namespace(key);
        String name = ObjectKeys.name(key);
        java.util.Optional<ObjectNode> found = api.find(pods, ns, name);
        if (found.isEmpty()) {
            forget(key);
            return Result.DONE;
        }
        ObjectNode pod = found.get();
        PodRun run = runs.get(key);
        if (run != null && !run.uid.equals(pod.path("metadata").path("uid").asText())) {
            forget(key);
            run = null;
        }
        if (!node.equals(pod.path("spec").path("nodeName").asText())) {
            return Result.DONE;
        }
        if (run == null) {
            String phase = pod.path("status").path("phase").asText("");
            if (phase.equals("Succeeded") || phase.equals("Failed")) {
                if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
                    removePod(pod);
                }
                return Result.DONE;
            }
            // a host-network pod has its node's address, as upstream
            boolean hostNetwork = pod.path("spec").path("hostNetwork").asBoolean(false);
            String proposed = hostNetwork ? hostIp : podIpPrefix + nextIp.getAndIncrement();
            JsonNode meta = pod.path("metadata");
            String ip;
            try {
                ip = runtime.sandbox(new ContainerRuntime.PodSandbox(meta.path("namespace").asText(),
                        meta.path("name").asText(), meta.path("uid").asText(),
                        pod.path("spec").path("hostname").asText(meta.path("name").asText()), proposed, hostNetwork));
            } catch (RuntimeException e) {
                // the pod stays ContainerCreating and is retried, as upstream's kubelet does
                events.record(pod, null, "Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage().trim()));
                return Result.requeueAfter(Duration.ofSeconds(10));
            }
            run = new PodRun(pod, ip, api.clock().now());
            runs.put(key, run);
        }
        synchronized (run) {
            if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
                if (terminate(run, pod)) {
                    writeStatus(run);
                    removePod(pod);
                    runs.remove(key);
                    runtime.removeVolumes(run.uid);
                    return Result.DONE;
                }
            } else {
                progress(run, pod);
            }
            writeStatus(run);
        }
        return Result.DONE;
    }

    private void forget(String key) {
        PodRun run = runs.remove(key);
        if (run != null) {
            runtime.removeVolumes(run.uid);
            synchronized (run) {
                for (ContainerRun c : run.all()) {
                    c.cancelTimers();
                    if (c.process() != null && c.process().running()) {
                        c.process().kill();
                    }
                }
            }
        }
    }

    private void progress(PodRun run, ObjectNode pod) {
        try {
            VolumeSetup.prepare(api, runtime, pod);
            run.mountError = null;
        } catch (VolumeSetup.MountError e) {
            if (!e.getMessage().equals(run.mountError)) {
                events.record(pod, null, "Warning", "FailedMount", e.getMessage());
            }
            run.mountError = e.getMessage();
            if (!run.volumesReady) {
                return;
            }
        }
        run.volumesReady = true;
        for (ContainerRun c : run.init) {
            if (c.sidecar) {
                if (c.state() == ContainerRun.State.WAITING && c.restartAt() == null && c.lastStartedAt() == null) {
                    start(run, pod, c);
                }
                if (!c.startedOnce()) {
                    return;
                }
                continue;
            }
            if (c.succeeded()) {
                continue;
            }
            if (c.state() == ContainerRun.State.WAITING && c.restartAt() == null && c.lastStartedAt() == null) {
                start(run, pod, c);
            }
            return;
        }
        boolean mainDone = !run.main.isEmpty();
        run.addEphemeral(pod);
        for (ContainerRun c : run.ephemeral) {
            if (c.state() == ContainerRun.State.WAITING && c.restartAt() == null && c.lastStartedAt() == null) {
                start(run, pod, c);
            }
        }
        for (ContainerRun c : run.main) {
            if (c.state() == ContainerRun.State.WAITING && c.restartAt() == null && c.lastStartedAt() == null) {
                start(run, pod, c);
            }
            boolean restarts = run.restartPolicy.equals("Always") || run.restartPolicy.equals("OnFailure") && !c.succeeded();
            mainDone &= c.state() == ContainerRun.State.TERMINATED && !restarts;
        }
        if (mainDone) {
            // sidecars stop once the main containers are done for good, in reverse order of their start
            for (int i = run.init.size() - 1; i >= 0; i--) {
                ContainerRun c = run.init.get(i);
                if (c.sidecar && c.process() != null && c.process().running()) {
                    c.cancelTimers();
                    run.stoppingSidecars = true;
                    events.record(pod, fieldPath(c), "Normal", "Killing", "Stopping container " + c.name);
                    c.process().stop(Duration.ofSeconds(pod.path("spec").path("terminationGracePeriodSeconds").asLong(30)));
                }
            }
        }
    }

    String fieldPath(ContainerRun c) {
        return (c.ephemeral ? "spec.ephemeralContainers{" : c.init ? "spec.initContainers{" : "spec.containers{") + c.name + "}";
    }

    void start(PodRun run, JsonNode pod, ContainerRun c) {
        String image = c.spec.path("image").asText();
        if (!c.pulled() && !images.pull(run, pod, c, fieldPath(c), queue::add)) {
            return;
        }
        Map<String, String> env;
        try {
            env = EnvResolver.resolve(api, pod, c.spec);
        } catch (EnvResolver.ConfigError e) {
            c.waitWith("CreateContainerConfigError", e.getMessage());
            events.record(pod, fieldPath(c), "Warning", "Failed", "Error: " + e.getMessage());
            return;
        }
        JsonNode effective = EffectiveSecurityContext.of(pod, c.spec);
        java.util.Optional<String> rootRefused = NonRootPolicy.violation(effective.path("securityContext"),
                () -> runtime.imageUser(image), run.name + "_" + run.namespace + "(" + run.uid + ")", c.name);
        if (rootRefused.isPresent()) {
            c.waitWith("CreateContainerConfigError", rootRefused.get());
            events.record(pod, fieldPath(c), "Warning", "Failed", "Error: " + rootRefused.get());
            return;
        }
        List<String> command = new ArrayList<>();
        c.spec.path("command").forEach(x -> command.add(EnvResolver.expand(x.asText(), env)));
        List<String> args = new ArrayList<>();
        c.spec.path("args").forEach(x -> args.add(EnvResolver.expand(x.asText(), env)));
        Map<String, String> annotations = new java.util.HashMap<>();
        pod.path("metadata").path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        ContainerProcess process;
        try {
            process = runtime.create(new ContainerSpec(run.namespace, run.name, run.uid, c.name, image,
                    command, args, env, annotations, effective, run.podIp,
                    pod.path("spec").path("hostname").asText(run.name),
                    VolumeSetup.mounts(c.spec), PodDnsFiles.files(pod, run.podIp == null ? "" : run.podIp)));
        } catch (RuntimeException e) {
            // the runtime refused the container's configuration (a real engine can): upstream's CreateContainerError
            String message = e.getMessage() == null ? e.toString() : e.getMessage().trim();
            c.waitWith("CreateContainerError", message);
            events.record(pod, fieldPath(c), "Warning", "Failed", "Error: " + message);
            return;
        }
        c.run(process, api.clock().now());
        events.record(pod, fieldPath(c), "Normal", "Created", "Created container: " + c.name);
        String key = run.namespace + "/" + run.name;
        process.start(exit -> onExit(run, key, c, process, exit));
        events.record(pod, fieldPath(c), "Normal", "Started", "Started container " + c.name);
        JsonNode postStart = c.spec.path("lifecycle").get("postStart");
        if (postStart != null) {
            Hooks.run(runtime, api.clock(), process, c.spec, postStart, null, failure -> {
                if (failure != null && process.running()) {
                    events.record(podRef(run), fieldPath(c), "Warning", "FailedPostStartHook", failure);
                    process.stop(Duration.ofSeconds(pod.path("spec").path("terminationGracePeriodSeconds").asLong(30)));
                }
            });
        }
        new ProbeLoop(this, api, runtime, events, run, c, key, queue::add).start(pod);
        failures.scheduleDeadline(run, pod, key);
        failures.scheduleEvictionCheck(run, pod, key);
    }

    private void onExit(PodRun run, String key, ContainerRun c, ContainerProcess process, ContainerProcess.Exit exit) {
        synchronized (run) {
            if (c.process() != process) {
                return;
            }
            c.cancelTimers();
            c.terminated(exit);
            if (run.terminating || run.failed() || c.sidecar && run.stoppingSidecars || c.ephemeral) {
                queue.add(key);
                return;
            }
            boolean restart = c.sidecar || !c.init && (run.restartPolicy.equals("Always")
                    || run.restartPolicy.equals("OnFailure") && exit.exitCode() != 0)
                    || c.init && exit.exitCode() != 0 && !run.restartPolicy.equals("Never");
            if (restart) {
                Duration delay = c.restartDelay();
                if (delay.isZero()) {
                    c.restartNow();
                } else {
                    String podRef = run.name + "_" + run.namespace + "(" + run.uid + ")";
                    c.backOff(api.clock().now().plus(delay), "back-off " + seconds(delay)
                            + " restarting failed container=" + c.name + " pod=" + podRef);
                    JsonNode podObj = podRef(run);
                    events.record(podObj, fieldPath(c), "Warning", "BackOff", "Back-off restarting failed container "
                            + c.name + " in pod " + podRef);
                    c.addTimer(api.clock().scheduleAfter(delay, () -> {
                        synchronized (run) {
                            c.backOffEnded();
                        }
                        queue.add(key);
                    }));
                }
            }
            queue.add(key);
        }
    }

    JsonNode podRef(PodRun run) {
        try {
            return api.get(pods, run.namespace, run.name);
        } catch (ApiException e) {
            ObjectNode o = dev.kubetest.core.json.Json.object();
            o.put("kind", "Pod");
            o.put("apiVersion", "v1");
            o.putObject("metadata").put("name", run.name).put("namespace", run.namespace).put("uid", run.uid);
            return o;
        }
    }

    private static String seconds(Duration d) {
        long s = d.getSeconds();
        return s >= 60 && s % 60 == 0 ? (s / 60) + "m0s" : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }

    /** Stops the pod's containers (once); true when none is running any more. */
    private boolean terminate(PodRun run, JsonNode pod) {
        if (!run.terminating) {
            run.terminating = true;
            long grace = pod.path("metadata").path("deletionGracePeriodSeconds").asLong(
                    pod.path("spec").path("terminationGracePeriodSeconds").asLong(30));
            for (ContainerRun c : run.all()) {
                c.cancelTimers();
                if (c.process() != null && c.process().running()) {
                    events.record(pod, fieldPath(c), "Normal", "Killing", "Stopping container " + c.name);
                    stopWithPreStop(run, pod, c, grace);
                } else if (c.state() == ContainerRun.State.WAITING) {
                    c.keepWaitingReason();
                }
            }
        }
        for (ContainerRun c : run.all()) {
            if (c.process() != null && c.process().running()) {
                return false;
            }
        }
        return true;
    }

    /** Runs the container's preStop hook (if any) within the grace period, then sends SIGTERM. */
    void stopWithPreStop(PodRun run, JsonNode pod, ContainerRun c, long graceSeconds) {
        ContainerProcess process = c.process();
        JsonNode preStop = c.spec.path("lifecycle").get("preStop");
        if (preStop == null) {
            process.stop(Duration.ofSeconds(graceSeconds));
            return;
        }
        Instant started = api.clock().now();
        Hooks.run(runtime, api.clock(), process, c.spec, preStop, Duration.ofSeconds(graceSeconds), failure -> {
            if (failure != null) {
                events.record(pod, fieldPath(c), "Warning", "FailedPreStopHook", "PreStopHook failed: " + failure);
            }
            long left = Math.max(2, graceSeconds - Duration.between(started, api.clock().now()).getSeconds());
            process.stop(Duration.ofSeconds(left));
        });
    }

    private void removePod(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        api.deleteIfPresent(pods, meta.path("namespace").asText(), meta.path("name").asText(),
                DeleteOptions.ifUid(meta.path("uid").asText()).withGracePeriod(0));
    }

    private void writeStatus(PodRun run) {
        try {
            api.mutate(pods, run.namespace, run.name, null, WriteOptions.manager("kubelet"), current -> {
                if (!run.uid.equals(current.path("metadata").path("uid").asText())) {
                    return current;
                }
                current.set("status", PodStatusWriter.status(run, current, hostIp, api.timestamp()));
                return current;
            }, KubeApi.Target.STATUS);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    /** The instant now, for the probe loop. */
    Instant now() {
        return api.clock().now();
    }

    @Override
    public void close() {
        super.close();
        for (String key : List.copyOf(runs.keySet())) {
            forget(key);
        }
    }
}
