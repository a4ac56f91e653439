package dev.kubetest.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The children of a frozen JSON object: keys and values in two arrays, in insertion order, read-only. A
 * {@code LinkedHashMap} costs about 40 bytes an entry plus its table; this costs 8. Lookups scan small maps and
 * binary-search a sorted index in larger ones.
 */
final class FrozenMap extends AbstractMap<String, JsonNode> {
    private static final int SCAN = 8;
    private final String[] keys;
    private final JsonNode[] values;
    /** Positions sorted by key, for maps larger than {@link #SCAN}; null otherwise. */
    private final int[] sorted;

    FrozenMap(String[] keys, JsonNode[] values) {
        this.keys = keys;
        this.values = values;
        if (keys.length > SCAN) {
            Integer[] order = new Integer[keys.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> keys[a].compareTo(keys[b]));
            sorted = new int[keys.length];
            for (int i = 0; i < order.length; i++) {
                sorted[i] = order[i];
            }
        } else {
            sorted = null;
        }
    }

    private int indexOf(Object key) {
        if (!(key instanceof String k)) {
            return -1;
        }
        if (sorted == null) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] == k) {
                    return i;
                }
            }
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].equals(k)) {
                    return i;
                }
            }
            return -1;
        }
        int lo = 0;
        int hi = sorted.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = keys[sorted[mid]].compareTo(k);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return sorted[mid];
            }
        }
        return -1;
    }

    @Override
    public JsonNode get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean isEmpty() {
        return keys.length == 0;
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public JsonNode remove(Object key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void putAll(Map<? extends String, ? extends JsonNode> m) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, JsonNode>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, JsonNode> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
