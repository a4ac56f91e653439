package dev.kubetest.apiserver.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed resource URL: {@code /api/v1[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]} or the
 * same under {@code /apis/{group}/{version}}. {@code /api/v1/namespaces/{name}[/status|/finalize]} names the
 * namespace resource itself.
 */
public record ResourcePath(String group, String version, String namespace, String resource, String name,
                           String subresource, boolean legacyWatch) {

    /** Parses the path part of a URL, or returns null when it is not a resource URL. */
    public static ResourcePath parse(String path) {
        List<String> s = new ArrayList<>(Arrays.asList(path.split("/")));
        s.removeIf(String::isEmpty);
        String group;
        String version;
        int i;
        if (s.size() >= 2 && s.get(0).equals("api")) {
            group = "";
            version = s.get(1);
            i = 2;
        } else if (s.size() >= 3 && s.get(0).equals("apis")) {
            group = s.get(1);
            version = s.get(2);
            i = 3;
        } else {
            return null;
        }
        List<String> rest = s.subList(i, s.size());
        if (rest.isEmpty()) {
            return null;
        }
        boolean watch = false;
        if (rest.get(0).equals("watch")) {
            watch = true;
            rest = rest.subList(1, rest.size());
        }
        if (rest.isEmpty()) {
            return null;
        }
        if (rest.get(0).equals("namespaces")) {
            if (rest.size() == 1) {
                return new ResourcePath(group, version, null, "namespaces", null, null, watch);
            }
            if (rest.size() == 2) {
                return new ResourcePath(group, version, null, "namespaces", rest.get(1), null, watch);
            }
            if (rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize"))) {
                return new ResourcePath(group, version, null, "namespaces", rest.get(1), rest.get(2), watch);
            }
            String ns = rest.get(1);
            List<String> r = rest.subList(2, rest.size());
            if (r.size() > 3 && r.get(2).equals("proxy")) {
                // {resource}/{name}/proxy/{path...}: the path goes to the proxied server
                return new ResourcePath(group, version, ns, r.get(0), r.get(1), "proxy", watch);
            }
            return switch (r.size()) {
                case 1 -> new ResourcePath(group, version, ns, r.get(0), null, null, watch);
                case 2 -> new ResourcePath(group, version, ns, r.get(0), r.get(1), null, watch);
                case 3 -> new ResourcePath(group, version, ns, r.get(0), r.get(1), r.get(2), watch);
                default -> null;
            };
        }
        if (rest.size() > 3 && rest.get(2).equals("proxy")) {
            return new ResourcePath(group, version, null, rest.get(0), rest.get(1), "proxy", watch);
        }
        return switch (rest.size()) {
            case 1 -> new ResourcePath(group, version, null, rest.get(0), null, null, watch);
            case 2 -> new ResourcePath(group, version, null, rest.get(0), rest.get(1), null, watch);
            case 3 -> new ResourcePath(group, version, null, rest.get(0), rest.get(1), rest.get(2), watch);
            default -> null;
        };
    }
}
