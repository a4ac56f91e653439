package dev.kubetest.apiserver.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds keys that appear twice in one object of a JSON or YAML body, as paths ({@code spec.replicas}). Pure. */
final class DuplicateFields {
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    private DuplicateFields() {}

    static List<String> find(byte[] body, boolean yaml) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = (yaml ? YAML : JSON).createParser(body)) {
            Deque<Set<String>> seen = new ArrayDeque<>();
            Deque<String> path = new ArrayDeque<>();
            Deque<Integer> index = new ArrayDeque<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT -> {
                        enterValue(path, index);
                        seen.push(new HashSet<>());
                        index.push(-1);
                    }
                    case START_ARRAY -> {
                        enterValue(path, index);
                        seen.push(new HashSet<>());
                        index.push(0);
                    }
                    case END_OBJECT, END_ARRAY -> {
                        seen.pop();
                        index.pop();
                        leaveValue(path, index);
                    }
                    case FIELD_NAME -> {
                        String name = p.currentName();
                        String full = join(path, name);
                        if (!seen.peek().add(name)) {
                            out.add(full);
                        }
                        path.push(name);
                    }
                    default -> {
                        enterValue(path, index);
                        leaveValue(path, index);
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static void enterValue(Deque<String> path, Deque<Integer> index) {
        if (!index.isEmpty() && index.peek() >= 0) {
            path.push("[" + index.peek() + "]");
        }
    }

    private static void leaveValue(Deque<String> path, Deque<Integer> index) {
        if (!index.isEmpty() && index.peek() >= 0) {
            index.push(index.pop() + 1);
        }
        if (!path.isEmpty()) {
            path.pop();
        }
    }

    private static String join(Deque<String> path, String name) {
        StringBuilder sb = new StringBuilder();
        var it = path.descendingIterator();
        while (it.hasNext()) {
            String part = it.next();
            if (part.startsWith("[") || sb.length() == 0) {
                sb.append(part);
            } else {
                sb.append('.').append(part);
            }
        }
        if (sb.length() > 0) {
            sb.append('.');
        }
        return sb.append(name).toString();
    }
}
