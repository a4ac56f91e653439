package dev.kubetest.core.api;

import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.meta.ListOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.selector.FieldSelector;
import dev.kubetest.core.selector.LabelSelector;
import dev.kubetest.core.store.ObjectStore;
import dev.kubetest.core.store.StoreEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** List (selectors, pagination, resourceVersion semantics) and watch (filtered event streams) over the store. */
public final class ListWatch {
    private final ObjectStore store;

    ListWatch(ObjectStore store) {
        this.store = store;
    }

    /** One page of a list. */
    public record Page(List<ObjectNode> items, String resourceVersion, String continueToken, Long remainingItemCount) {}

    public Page list(ResourceType type, String namespace, ListOptions options) {
        LabelSelector labels = LabelSelector.parse(options.labelSelector());
        FieldSelector fields = FieldSelector.parse(options.fieldSelector(), type);
        String ns = type.namespaced() ? emptyToNull(namespace) : null;
        if (ns == null && type.namespaced()) {
            ns = fields.equalityValue("metadata.namespace").orElse(null);
        }
        long atRevision = -1;
        String afterKey = null;
        if (options.continueToken() != null && !options.continueToken().isEmpty()) {
            Continue c = Continue.decode(options.continueToken());
            atRevision = c.revision;
            afterKey = c.startAfter;
            if (atRevision < store.compactedRevision()) {
                throw new ApiException(410, "Expired", "The provided continue parameter is too old to display a "
                        + "consistent list result. You can start a new list without the continue parameter.",
                        null, null, null, null);
            }
        } else if ("Exact".equals(options.resourceVersionMatch())) {
            atRevision = parseRevision(options.resourceVersion());
        }
        if (atRevision < 0 && options.continueToken() == null && options.resourceVersion() != null
                && !options.resourceVersion().isEmpty() && !options.resourceVersion().equals("0")) {
            awaitFresh(parseRevision(options.resourceVersion()));
        } else if (atRevision > 0 && options.continueToken() == null) {
            awaitFresh(atRevision);
        }
        boolean ignoreLimit = "0".equals(options.resourceVersion()) && options.continueToken() == null;
        long limit = options.limit() == null || options.limit() <= 0 || ignoreLimit ? Long.MAX_VALUE : options.limit();
        String scopedNs = type.namespaced() ? ns : "";
        if (!type.namespaced()) {
            scopedNs = "";
        }
        ObjectStore.Listing listing = store.list(type.storageKey(), scopedNs, afterKey, atRevision,
                labels.equalityTerms());
        List<ObjectNode> items = new ArrayList<>();
        String lastKey = null;
        int matchedAfter = 0;
        for (Map.Entry<String, ObjectNode> e : listing.items()) {
            ObjectNode o = e.getValue();
            if (!matches(type, o, labels, fields)) {
                continue;
            }
            if (items.size() < limit) {
                items.add(KubeApi.withType(type, o));
                lastKey = e.getKey();
            } else {
                matchedAfter++;
            }
        }
        String token = null;
        Long remaining = null;
        if (matchedAfter > 0) {
            token = new Continue(listing.revision(), lastKey).encode();
            remaining = (long) matchedAfter;
        }
        return new Page(items, Long.toString(listing.revision()), token, remaining);
    }

    /** How long a read at a revision the store has not reached waits for it, as upstream's watch cache. */
    static final java.time.Duration FRESHNESS_WAIT = java.time.Duration.ofSeconds(3);

    /** Waits briefly for the store to reach {@code rev}; 504 "Too large resource version" if it does not. */
    void awaitFresh(long rev) {
        if (!store.awaitRevision(rev, FRESHNESS_WAIT)) {
            throw ApiException.tooLargeResourceVersion(rev, store.currentRevision());
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static boolean matches(ResourceType type, JsonNode o, LabelSelector labels, FieldSelector fields) {
        if (!labels.isEverything() && !labels.matches(LabelSelector.labelsOf(o))) {
            return false;
        }
        return fields.matches(o, type);
    }


    private static long parseRevision(String rv) {
        if (rv == null || rv.isEmpty()) {
            throw ApiException.badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
        }
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version: " + rv);
        }
    }

    private record Continue(long revision, String startAfter) {
        String encode() {
            ObjectNode o = Json.object();
            o.put("v", "meta.k8s.io/v1");
            o.put("rv", revision);
            o.put("start", startAfter + "\u0000");
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(o));
        }

        static Continue decode(String token) {
            try {
                JsonNode o = Json.parse(new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8));
                String start = o.path("start").asText();
                if (start.endsWith("\u0000")) {
                    start = start.substring(0, start.length() - 1);
                }
                if (!o.has("rv")) {
                    throw new IllegalArgumentException("no rv");
                }
                return new Continue(o.path("rv").asLong(), start);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- watch

    /** Receives watch events: type ADDED, MODIFIED, DELETED or BOOKMARK, and the object. */
    @FunctionalInterface
    public interface WatchListener {
        void onEvent(WatchEventType type, ObjectNode object);
    }

    /**
     * Starts a watch. Events are delivered in order on the writers' threads (the listener must not block).
     * With no resourceVersion or "0" the current objects come first as ADDED; with {@code sendInitialEvents}
     * a BOOKMARK annotated {@code k8s.io/initial-events-end} follows them.
     *
     * @throws ApiException 410 when the resourceVersion is older than the store's log
     */
    public AutoCloseable watch(ResourceType type, String namespace, ListOptions options, WatchListener listener) {
        LabelSelector labels = LabelSelector.parse(options.labelSelector());
        FieldSelector fields = FieldSelector.parse(options.fieldSelector(), type);
        String ns = type.namespaced() ? emptyToNull(namespace) : null;
        String rv = options.resourceVersion();
        boolean initial = rv == null || rv.isEmpty() || rv.equals("0") || Boolean.TRUE.equals(options.sendInitialEvents());
        long from = initial ? -1 : parseRevision(rv);
        if (from > 0) {
            awaitFresh(from);
        }
        ObjectStore.Subscription sub = store.watch(type.storageKey(), type.namespaced() ? ns : null, from, event -> {
            deliver(type, event, labels, fields, listener);
        });
        if (Boolean.TRUE.equals(options.sendInitialEvents()) && options.allowWatchBookmarks()) {
            ObjectNode bookmark = bookmark(type, Long.toString(store.currentRevision()));
            Json.with(Json.with(bookmark, "metadata"), "annotations").put("k8s.io/initial-events-end", "true");
            listener.onEvent(WatchEventType.BOOKMARK, bookmark);
        }
        return sub;
    }

    /** The revision of the newest write. */
    public long currentRevision() {
        return store.currentRevision();
    }

    /**
     * Hands a BOOKMARK at the current revision to {@code sink} while no write can happen, so that no event of a
     * watch can pass it.
     */
    public void bookmarkNow(ResourceType type, java.util.function.Consumer<ObjectNode> sink) {
        store.write(tx -> {
            sink.accept(bookmark(type, Long.toString(store.currentRevision())));
            return null;
        });
    }

    /** A BOOKMARK object: only kind, apiVersion and metadata.resourceVersion. */
    public static ObjectNode bookmark(ResourceType type, String resourceVersion) {
        ObjectNode o = Json.object();
        o.put("kind", type.kind());
        o.put("apiVersion", type.apiVersion());
        o.putObject("metadata").put("resourceVersion", resourceVersion);
        return o;
    }

    private static void deliver(ResourceType type, StoreEvent e, LabelSelector labels, FieldSelector fields,
                                WatchListener listener) {
        boolean now = e.type() != StoreEvent.Type.DELETED && matches(type, e.object(), labels, fields);
        boolean before = e.previous() != null && matches(type, e.previous(), labels, fields);
        switch (e.type()) {
            case ADDED -> {
                if (now) {
                    listener.onEvent(WatchEventType.ADDED, KubeApi.withType(type, e.object()));
                }
            }
            case MODIFIED -> {
                if (now && before) {
                    listener.onEvent(WatchEventType.MODIFIED, KubeApi.withType(type, e.object()));
                } else if (now) {
                    listener.onEvent(WatchEventType.ADDED, KubeApi.withType(type, e.object()));
                } else if (before) {
                    ObjectNode last = e.previous().deepCopy();
                    Json.with(last, "metadata").put("resourceVersion", Long.toString(e.revision()));
                    listener.onEvent(WatchEventType.DELETED, KubeApi.withType(type, last));
                }
            }
            case DELETED -> {
                if (before || matches(type, e.object(), labels, fields)) {
                    listener.onEvent(WatchEventType.DELETED, KubeApi.withType(type, e.object()));
                }
            }
        }
    }
}
