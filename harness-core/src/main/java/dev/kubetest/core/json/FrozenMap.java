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
 * The children of a frozen JSON object: keys and values in one array (key, value, key, value...), in insertion
 * order, read-only. A {@code LinkedHashMap} costs about 40 bytes an entry plus its table; this costs 8. Lookups scan
 * small maps and binary-search a sorted index in larger ones.
 */
final class FrozenMap extends AbstractMap<String, JsonNode> {
    private static final int SCAN = 8;
    private static final int IDENTITY_SCAN = 24;
    private final Object[] entries;
    private final int size;
    /** Positions sorted by key, for maps larger than {@link #SCAN}; null otherwise. */
    private final int[] sorted;

    FrozenMap(String[] keys, JsonNode[] values) {
        this.size = keys.length;
        this.entries = new Object[2 * size];
        for (int i = 0; i < size; i++) {
            entries[2 * i] = keys[i];
            entries[2 * i + 1] = values[i];
        }
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
        // keys are interned, and so are the literals code looks up: an identity scan finds most
        if (size <= IDENTITY_SCAN) {
            for (int i = 0; i < size; i++) {
                if (entries[2 * i] == k) {
                    return i;
                }
            }
        }
        if (sorted == null) {
            for (int i = 0; i < size; i++) {
                if (entries[2 * i].equals(k)) {
                    return i;
                }
            }
            return -1;
        }
        int lo = 0;
        int hi = sorted.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = ((String) entries[2 * sorted[mid]]).compareTo(k);
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
        return i < 0 ? null : (JsonNode) entries[2 * i + 1];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
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
                        return next < size;
                    }

                    @Override
                    public Entry<String, JsonNode> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>((String) entries[2 * i], (JsonNode) entries[2 * i + 1]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
