package dev.kubetest.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.kubetest.core.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a recording into what the page draws, as JSON: per pod, its phase and readiness as bands over cluster
 * time, and marks for container starts, restarts, exits (with the code and reason) and probe failures; the
 * events in time order; and each pod's YAML at the moment of each mark. Times are milliseconds from the test's
 * start. A pure function of the recording.
 */
final class Timeline {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

    private Timeline() {}

    static ObjectNode of(String test, String namespace, Instant testStart, Instant end, List<TimelineRecorder.Entry> entries) {
        // auto time may skip ahead before the test's first write: the page starts at the first thing recorded
        Instant start = entries.isEmpty() ? testStart : entries.stream().map(TimelineRecorder.Entry::at)
                .min(Instant::compareTo).orElse(testStart);
        ObjectNode out = Json.object();
        out.put("test", test);
        out.put("namespace", namespace);
        out.put("start", start.toString());
        out.put("durationMs", Math.max(1, Duration.between(start, end).toMillis()));
        ArrayNode snapshots = out.putArray("snapshots");
        Map<String, ObjectNode> pods = new LinkedHashMap<>();
        Map<String, JsonNode> lastVersion = new HashMap<>();
        Map<String, ObjectNode> openBand = new HashMap<>();
        java.util.Set<String> exits = new java.util.HashSet<>();
        ArrayNode events = out.putArray("events");
        for (TimelineRecorder.Entry e : entries) {
            long t = Math.max(0, Duration.between(start, e.at()).toMillis());
            if (e.resource().equals("events")) {
                if (!e.type().equals("DELETED")) {
                    event(events, e.object(), t, pods, snapshots, lastVersion);
                }
                continue;
            }
            String name = e.object().path("metadata").path("name").asText();
            ObjectNode pod = pods.computeIfAbsent(name, n -> {
                ObjectNode p = Json.object();
                p.put("name", n);
                p.putArray("bands");
                p.putArray("marks");
                return p;
            });
            JsonNode previous = lastVersion.get(name);
            // the YAML of this version, made only if a mark points at it
            int[] made = {-1};
            java.util.function.IntSupplier snapshot = () -> made[0] >= 0 ? made[0]
                    : (made[0] = snapshot(snapshots, e.object(), t, e.type()));
            if (e.type().equals("DELETED")) {
                close(openBand.remove(name), t);
                mark(pod, t, "deleted", "", "pod deleted", snapshot.getAsInt());
                lastVersion.remove(name);
                continue;
            }
            String phase = e.object().path("status").path("phase").asText("Pending");
            boolean terminating = e.object().path("metadata").hasNonNull("deletionTimestamp");
            boolean ready = ready(e.object());
            ObjectNode band = openBand.get(name);
            String state = phase + (terminating ? "/Terminating" : "");
            if (band == null || !band.path("phase").asText().equals(state) || band.path("ready").asBoolean() != ready) {
                close(band, t);
                ObjectNode b = ((ArrayNode) pod.get("bands")).addObject();
                b.put("from", t);
                b.put("phase", state);
                b.put("ready", ready);
                openBand.put(name, b);
            }
            containerMarks(pod, previous, e.object(), t, snapshot, exits);
            lastVersion.put(name, e.object());
        }
        long end0 = out.path("durationMs").asLong();
        openBand.values().forEach(b -> close(b, end0));
        ArrayNode podList = out.putArray("pods");
        pods.values().forEach(podList::add);
        return out;
    }

    private static void close(ObjectNode band, long t) {
        if (band != null && !band.has("to")) {
            band.put("to", Math.max(t, band.path("from").asLong()));
        }
    }

    private static boolean ready(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /** Starts, restarts and exits: what changed in each container's status since the pod's previous version. */
    private static void containerMarks(ObjectNode pod, JsonNode previous, JsonNode now, long t,
                                       java.util.function.IntSupplier snapshot, java.util.Set<String> exits) {
        for (String list : List.of("initContainerStatuses", "containerStatuses")) {
            for (JsonNode cs : now.path("status").path(list)) {
                String name = cs.path("name").asText();
                JsonNode before = previous == null ? null : find(previous.path("status").path(list), name);
                int restarts = cs.path("restartCount").asInt(0);
                int restartsBefore = before == null ? 0 : before.path("restartCount").asInt(0);
                if (restarts > restartsBefore) {
                    JsonNode last = cs.path("lastState").path("terminated");
                    mark(pod, t, "restart", name, "restart " + restarts + (last.isMissingNode() ? ""
                            : " after exit code " + last.path("exitCode").asInt() + reason(last)), snapshot.getAsInt());
                }
                String startedAt = cs.path("state").path("running").path("startedAt").asText("");
                String startedBefore = before == null ? "" : before.path("state").path("running").path("startedAt").asText("");
                if (!startedAt.isEmpty() && !startedAt.equals(startedBefore)) {
                    mark(pod, t, "start", name, "container " + name + " started", snapshot.getAsInt());
                }
                // an exit, whether this version shows it as the state or (the kubelet having moved on to a
                // back-off or a restart) only as the last state; each once, by its container ID and finish time
                for (JsonNode term : List.of(cs.path("lastState").path("terminated"), cs.path("state").path("terminated"))) {
                    if (term.isMissingNode()) {
                        continue;
                    }
                    String id = pod.path("name").asText() + "/" + name + "/" + term.path("containerID").asText("")
                            + "/" + term.path("finishedAt").asText("");
                    if (exits.add(id)) {
                        mark(pod, t, "exit", name, "container " + name + " exited with code " + term.path("exitCode").asInt()
                                + reason(term), snapshot.getAsInt());
                    }
                }
            }
        }
    }

    private static String reason(JsonNode terminated) {
        String r = terminated.path("reason").asText("");
        return r.isEmpty() ? "" : " (" + r + ")";
    }

    private static JsonNode find(JsonNode statuses, String name) {
        for (JsonNode s : statuses) {
            if (name.equals(s.path("name").asText())) {
                return s;
            }
        }
        return null;
    }

    /** An event row; a probe failure of a pod is also a mark on the pod's row. */
    private static void event(ArrayNode events, JsonNode e, long t, Map<String, ObjectNode> pods, ArrayNode snapshots,
                              Map<String, JsonNode> lastVersion) {
        ObjectNode row = events.addObject();
        row.put("at", t);
        row.put("type", e.path("type").asText());
        row.put("reason", e.path("reason").asText());
        String kind = e.path("involvedObject").path("kind").asText();
        String name = e.path("involvedObject").path("name").asText();
        row.put("object", kind.toLowerCase(java.util.Locale.ROOT) + "/" + name);
        row.put("message", e.path("message").asText());
        row.put("count", e.path("count").asInt(1));
        if ("Pod".equals(kind) && "Unhealthy".equals(e.path("reason").asText()) && pods.containsKey(name)) {
            JsonNode pod = lastVersion.get(name);
            int snapshot = pod == null ? -1 : snapshot(snapshots, pod, t, "EVENT");
            mark(pods.get(name), t, "probe", "", e.path("message").asText(), snapshot);
        }
    }

    private static void mark(ObjectNode pod, long t, String kind, String container, String detail, int snapshot) {
        ObjectNode m = ((ArrayNode) pod.get("marks")).addObject();
        m.put("at", t);
        m.put("kind", kind);
        m.put("container", container);
        m.put("detail", detail);
        m.put("snapshot", snapshot);
    }

    /** The object's YAML at this moment; its index in the snapshots. */
    private static int snapshot(ArrayNode snapshots, JsonNode object, long t, String type) {
        ObjectNode copy = object.deepCopy();
        if (copy.path("metadata") instanceof ObjectNode meta) {
            meta.remove("managedFields");
        }
        ObjectNode s = snapshots.addObject();
        s.put("at", t);
        s.put("type", type);
        try {
            s.put("yaml", YAML.writeValueAsString(copy));
        } catch (IOException e) {
            s.put("yaml", copy.toString());
        }
        return snapshots.size() - 1;
    }
}
