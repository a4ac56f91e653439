package dev.kubetest.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.WriteOptions;
import dev.kubetest.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Writes core/v1 Events as upstream components do: named {@code <object>.<hex>}, in the object's namespace
 * ({@code default} for cluster-scoped objects), and de-duplicated: the same reason and message about the same
 * object within 10 minutes bumps {@code count} and {@code lastTimestamp} of the existing Event (the Events it
 * remembers for that are an LRU of 4,096, as client-go's). client-go's spam filter (25 events about one object, then
 * one every 5 minutes) is not applied: every event is written (docs/limitations.md).
 */
public final class EventRecorder {
    private static final Duration DEDUP_WINDOW = Duration.ofMinutes(10);

    private final KubeApi api;
    private final String component;
    private final String host;
    /** The Event last written for each (object, part, reason, message): an LRU of 4,096, as upstream's correlator. */
    private final Map<String, String> recent = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 4096;
        }
    });
    /** Orders the names of the events this recorder makes within one millisecond of cluster time. */
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();

    public EventRecorder(KubeApi api, String component, String host) {
        this.api = api;
        this.component = component;
        this.host = host;
    }

    /** Records an event about {@code object} (optionally about one of its parts, {@code fieldPath}). */
    public void record(JsonNode object, String fieldPath, String type, String reason, String message) {
        ResourceType events = api.registry().find("", "v1", "events").orElseThrow();
        JsonNode meta = object.path("metadata");
        String ns = meta.path("namespace").asText("");
        if (ns.isEmpty()) {
            ns = "default";
        }
        String key = meta.path("uid").asText() + "|" + fieldPath + "|" + reason + "|" + message;
        String now = api.timestamp();
        String existing = recent.get(key);
        if (existing != null) {
            String namespace = ns;
            try {
                api.mutate(events, namespace, existing, null, WriteOptions.manager(component), e -> {
                    String last = e.path("lastTimestamp").asText(now);
                    if (Duration.between(Instant.parse(last), Instant.parse(now)).compareTo(DEDUP_WINDOW) > 0) {
                        throw new IllegalStateException("stale");
                    }
                    e.put("count", e.path("count").asInt(1) + 1);
                    e.put("lastTimestamp", now);
                    return e;
                }, KubeApi.Target.MAIN);
                return;
            } catch (ApiException | IllegalStateException e) {
                recent.remove(key);
            }
        }
        ObjectNode ev = Json.object();
        ObjectNode em = ev.putObject("metadata");
        // <object>.<nanoseconds in hex>, as upstream: names sort in the order the events were recorded (a sequence
        // number, then a random part against other recorders, below the millisecond the cluster clock gives)
        long subMillis = (sequence.getAndIncrement() % 1_000) * 1_000 + System.identityHashCode(ev) % 1_000;
        String name = meta.path("name").asText() + "." + Long.toHexString(api.clock().now().toEpochMilli() * 1_000_000L + subMillis);
        em.put("name", name);
        em.put("namespace", ns);
        ObjectNode involved = ev.putObject("involvedObject");
        involved.put("kind", object.path("kind").asText());
        if (!meta.path("namespace").asText("").isEmpty()) {
            involved.put("namespace", meta.path("namespace").asText());
        }
        involved.put("name", meta.path("name").asText());
        involved.put("uid", meta.path("uid").asText());
        involved.put("apiVersion", object.path("apiVersion").asText());
        involved.put("resourceVersion", meta.path("resourceVersion").asText());
        if (fieldPath != null) {
            involved.put("fieldPath", fieldPath);
        }
        ev.put("reason", reason);
        ev.put("message", message);
        ObjectNode source = ev.putObject("source");
        source.put("component", component);
        if (host != null) {
            source.put("host", host);
        }
        ev.put("firstTimestamp", now);
        ev.put("lastTimestamp", now);
        ev.put("count", 1);
        ev.put("type", type);
        ev.putNull("eventTime");
        ev.put("reportingComponent", component);
        ev.put("reportingInstance", host == null ? "" : host);
        try {
            api.create(events, ns, ev, WriteOptions.manager(component));
            recent.put(key, name);
        } catch (ApiException e) {
            // an event about an object in a namespace that is going away is dropped, as upstream
        }
    }
}
