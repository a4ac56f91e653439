package dev.kubetest.core.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An etcd-like versioned store: one cluster-wide revision counter, objects per resource sorted by key
 * ({@code namespace/name}), and a bounded log of recent changes. The log serves watches that resume from a
 * resourceVersion and reads of an older revision (list pagination, {@code resourceVersionMatch=Exact}):
 * a snapshot is the current state with the logged changes after it undone. A revision older than the log
 * is answered with 410 Expired.
 *
 * <p>Writes run one at a time under a single lock, so revisions and watch events are totally ordered; reads
 * take no lock. Stored objects are never mutated: a write stores a new tree.
 */
public final class ObjectStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final ArrayDeque<StoreEvent> log = new ArrayDeque<>();
    private final int logCapacity;
    /** Watch subscriptions by resource, so that a write reaches only its own resource's watchers. */
    private final Map<String, List<Subscription>> subscriptions = new ConcurrentHashMap<>();
    private long revision;
    private volatile long publishedRevision;
    private volatile long compactedRevision;

    public ObjectStore(int logCapacity) {
        this.logCapacity = logCapacity;
    }

    public ObjectStore() {
        this(20_000);
    }

    public static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }

    static String namespaceOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    /** The revision of the newest write. */
    public long currentRevision() {
        return publishedRevision;
    }

    /** Revisions at or below this one can no longer be read or watched from. */
    public long compactedRevision() {
        return compactedRevision;
    }

    public ObjectNode get(String storageKey, String key) {
        Bucket b = buckets.get(storageKey);
        return b == null ? null : b.get(key);
    }

    public int count(String storageKey) {
        Bucket b = buckets.get(storageKey);
        return b == null ? 0 : b.size();
    }

    /** The result of a list: objects in key order, and the revision they were read at. */
    public record Listing(List<Map.Entry<String, ObjectNode>> items, long revision) {}

    /**
     * Lists the objects of a resource in key order as they were at {@code atRevision} (or now, when it is
     * negative). {@code namespace} null means every namespace; {@code afterKey} resumes a paginated list;
     * {@code labelEquals} narrows candidates through the label index (callers still apply their selector).
     */
    public Listing list(String storageKey, String namespace, String afterKey, long atRevision,
                        Map<String, String> labelEquals) {
        long rev = atRevision < 0 ? publishedRevision : atRevision;
        if (rev < compactedRevision) {
            throw expired(rev);
        }
        Bucket bucket = buckets.computeIfAbsent(storageKey, k -> new Bucket());
        String prefix = namespace == null ? "" : namespace + "/";
        TreeMap<String, ObjectNode> overrides = undoAfter(storageKey, prefix, afterKey, rev);
        NavigableMap<String, ObjectNode> current = bucket.range(prefix, afterKey);
        if (overrides.isEmpty() && (labelEquals == null || labelEquals.isEmpty())) {
            // the common case, a list now: the bucket's range is already in key order
            return new Listing(new ArrayList<>(current.entrySet()), rev);
        }
        TreeMap<String, ObjectNode> result = new TreeMap<>();
        if (labelEquals != null && !labelEquals.isEmpty()) {
            Set<String> candidates = null;
            for (Map.Entry<String, String> e : labelEquals.entrySet()) {
                Set<String> keys = bucket.keysWithLabel(e.getKey(), e.getValue());
                candidates = candidates == null ? new TreeSet<>(keys) : retain(candidates, keys);
            }
            for (String k : candidates) {
                if (k.startsWith(prefix) && (afterKey == null || k.compareTo(afterKey) > 0)) {
                    ObjectNode o = bucket.get(k);
                    if (o != null) {
                        result.put(k, o);
                    }
                }
            }
        } else {
            result.putAll(current);
        }
        for (Map.Entry<String, ObjectNode> o : overrides.entrySet()) {
            if (o.getValue() == TOMBSTONE) {
                result.remove(o.getKey());
            } else {
                result.put(o.getKey(), o.getValue());
            }
        }
        return new Listing(new ArrayList<>(result.entrySet()), rev);
    }

    private static Set<String> retain(Set<String> a, Set<String> b) {
        a.retainAll(b);
        return a;
    }

    private static final ObjectNode TOMBSTONE = new ObjectNode(null);

    /** For every key changed after {@code rev}: its state at {@code rev} (TOMBSTONE when it did not exist). */
    private TreeMap<String, ObjectNode> undoAfter(String storageKey, String prefix, String afterKey, long rev) {
        TreeMap<String, ObjectNode> overrides = new TreeMap<>();
        if (rev >= publishedRevision) {
            return overrides;
        }
        lock.lock();
        try {
            if (rev < compactedRevision) {
                throw expired(rev);
            }
            for (StoreEvent e : log) {
                if (e.revision() <= rev || !e.storageKey().equals(storageKey) || !e.key().startsWith(prefix)
                        || (afterKey != null && e.key().compareTo(afterKey) <= 0)) {
                    continue;
                }
                overrides.putIfAbsent(e.key(), e.previous() == null ? TOMBSTONE : e.previous());
            }
        } finally {
            lock.unlock();
        }
        return overrides;
    }

    static ApiException expired(long rev) {
        return ApiException.gone("too old resource version: " + rev);
    }

    /** A write transaction: reads see the writes made before it; every put or remove takes a new revision. */
    public final class Tx {
        private Tx() {}

        public ObjectNode get(String storageKey, String key) {
            return ObjectStore.this.get(storageKey, key);
        }

        /** The revision the next write in this transaction will get. */
        public long nextRevision() {
            return revision + 1;
        }

        /** Stores {@code object} (whose resourceVersion the caller set to {@link #nextRevision()}). */
        public long put(String storageKey, String key, ObjectNode object) {
            Bucket bucket = buckets.computeIfAbsent(storageKey, k -> new Bucket());
            ObjectNode previous = bucket.get(key);
            object = dev.kubetest.core.json.FrozenTrees.freeze(object, previous);
            long rev = ++revision;
            bucket.put(key, object);
            append(new StoreEvent(previous == null ? StoreEvent.Type.ADDED : StoreEvent.Type.MODIFIED,
                    storageKey, key, object, previous, rev));
            return rev;
        }

        /** Removes the object; {@code finalState} (with the deletion's resourceVersion) goes to watchers. */
        public long remove(String storageKey, String key, ObjectNode finalState) {
            Bucket bucket = buckets.computeIfAbsent(storageKey, k -> new Bucket());
            ObjectNode previous = bucket.get(key);
            if (previous == null) {
                return revision;
            }
            long rev = ++revision;
            bucket.remove(key);
            append(new StoreEvent(StoreEvent.Type.DELETED, storageKey, key,
                    dev.kubetest.core.json.FrozenTrees.freeze(finalState, previous), previous, rev));
            return rev;
        }
    }

    private final Tx tx = new Tx();
    /** Readers waiting in {@link #awaitRevision}: writes signal them only when there are any. */
    private volatile int revisionWaiters;
    private final java.util.concurrent.locks.Condition revisionReached = lock.newCondition();

    /**
     * Waits until the store has reached {@code rev} or {@code timeout} (wall time, as a server's request timeout)
     * has passed, as upstream's watch cache waits for a fresh enough revision; answers whether it was reached.
     */
    public boolean awaitRevision(long rev, java.time.Duration timeout) {
        if (publishedRevision >= rev) {
            return true;
        }
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            revisionWaiters++;
            while (revision < rev && nanos > 0) {
                nanos = revisionReached.awaitNanos(nanos);
            }
            return revision >= rev;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return revision >= rev;
        } finally {
            revisionWaiters--;
            lock.unlock();
        }
    }

    /** Every object as it is now, at one revision. */
    public StoreSnapshot snapshot() {
        lock.lock();
        try {
            Map<String, Map<String, ObjectNode>> copy = new ConcurrentHashMap<>();
            buckets.forEach((storageKey, bucket) -> {
                if (bucket.size() > 0) {
                    copy.put(storageKey, new ConcurrentHashMap<>(bucket.range("", null)));
                }
            });
            return new StoreSnapshot(revision, copy);
        } finally {
            lock.unlock();
        }
    }

    /** What a restore changed: objects put back or rewritten, and objects removed. */
    public record Restored(int written, int removed) {}

    /**
     * Makes the store hold what {@code snapshot} held, as ordinary writes at new revisions (never a rewind): an
     * object made since is removed (DELETED), one removed or changed since is written back (ADDED or MODIFIED),
     * with its UID and creation time, an object untouched since is left alone. {@code withRevision} stamps the
     * new resourceVersion into a copy of an object. One atomic write, so no reader sees half of it.
     */
    public Restored restore(StoreSnapshot snapshot, java.util.function.BiFunction<ObjectNode, Long, ObjectNode> withRevision) {
        return write(t -> {
            int written = 0;
            int removed = 0;
            java.util.Set<String> kinds = new java.util.HashSet<>(buckets.keySet());
            kinds.addAll(snapshot.live().keySet());
            for (String storageKey : kinds) {
                Map<String, ObjectNode> then = snapshot.live().getOrDefault(storageKey, Map.of());
                Bucket bucket = buckets.get(storageKey);
                if (bucket != null) {
                    for (Map.Entry<String, ObjectNode> now : new ArrayList<>(bucket.range("", null).entrySet())) {
                        if (!then.containsKey(now.getKey())) {
                            t.remove(storageKey, now.getKey(), withRevision.apply(now.getValue(), t.nextRevision()));
                            removed++;
                        }
                    }
                }
                for (Map.Entry<String, ObjectNode> e : then.entrySet()) {
                    ObjectNode current = bucket == null ? null : bucket.get(e.getKey());
                    if (current != e.getValue()) {
                        t.put(storageKey, e.getKey(), withRevision.apply(e.getValue(), t.nextRevision()));
                        // the snapshot now holds what was written, so an untouched object is skipped next time
                        e.setValue(buckets.get(storageKey).get(e.getKey()));
                        written++;
                    }
                }
            }
            return new Restored(written, removed);
        });
    }

    /** Runs {@code body} as one atomic write; exceptions leave the store as the body left it. */
    public <T> T write(Function<Tx, T> body) {
        lock.lock();
        try {
            return body.apply(tx);
        } finally {
            publishedRevision = revision;
            if (revisionWaiters > 0) {
                revisionReached.signalAll();
            }
            lock.unlock();
        }
    }

    private void append(StoreEvent event) {
        log.addLast(event);
        while (log.size() > logCapacity) {
            compactedRevision = log.removeFirst().revision();
        }
        publishedRevision = event.revision();
        List<Subscription> watchers = subscriptions.get(event.storageKey());
        if (watchers == null) {
            return;
        }
        for (Subscription s : watchers) {
            if (s.prefix.isEmpty() || event.key().startsWith(s.prefix)) {
                s.listener.accept(event);
            }
        }
    }

    /** A registered watch; {@link #close()} stops it. */
    public final class Subscription implements AutoCloseable {
        final String storageKey;
        final String prefix;
        final Consumer<StoreEvent> listener;

        Subscription(String storageKey, String prefix, Consumer<StoreEvent> listener) {
            this.storageKey = storageKey;
            this.prefix = prefix;
            this.listener = listener;
        }

        @Override
        public void close() {
            List<Subscription> watchers = subscriptions.get(storageKey);
            if (watchers != null) {
                watchers.remove(this);
            }
        }
    }

    /**
     * Watches a resource (in one namespace, or all when {@code namespace} is null). With {@code fromRevision} >= 0
     * the listener first receives every logged change after it; with a negative value it first receives a
     * synthetic ADDED for each current object. Either way no change is missed or repeated, and events arrive
     * in revision order, on the writer's thread, so the listener must not block.
     *
     * @throws ApiException 410 when {@code fromRevision} is older than the log
     */
    public Subscription watch(String storageKey, String namespace, long fromRevision, Consumer<StoreEvent> listener) {
        String prefix = namespace == null ? "" : namespace + "/";
        lock.lock();
        try {
            if (fromRevision >= 0 && fromRevision < compactedRevision) {
                throw expired(fromRevision);
            }
            if (fromRevision < 0) {
                Bucket bucket = buckets.computeIfAbsent(storageKey, k -> new Bucket());
                for (Map.Entry<String, ObjectNode> e : bucket.range(prefix, null).entrySet()) {
                    listener.accept(new StoreEvent(StoreEvent.Type.ADDED, storageKey, e.getKey(), e.getValue(), null,
                            revisionOf(e.getValue())));
                }
            } else {
                for (Iterator<StoreEvent> it = log.iterator(); it.hasNext(); ) {
                    StoreEvent e = it.next();
                    if (e.revision() > fromRevision && e.storageKey().equals(storageKey) && e.key().startsWith(prefix)) {
                        listener.accept(e);
                    }
                }
            }
            Subscription s = new Subscription(storageKey, prefix, listener);
            subscriptions.computeIfAbsent(storageKey, k -> new CopyOnWriteArrayList<>()).add(s);
            return s;
        } finally {
            lock.unlock();
        }
    }

    private static long revisionOf(ObjectNode o) {
        try {
            return Long.parseLong(o.path("metadata").path("resourceVersion").asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
