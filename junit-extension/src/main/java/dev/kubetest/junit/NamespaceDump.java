package dev.kubetest.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.apiserver.table.TablePrinters;
import dev.kubetest.core.KubeCluster;
import dev.kubetest.core.meta.ListOptions;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.runtime.ContainerProcess;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The text a failed test's report gets: kubectl-style tables of the namespace's pods, workloads, services and
 * claims (ages on the cluster clock), its events oldest first, and the last log lines of each container that is
 * failing or has restarted.
 */
final class NamespaceDump {
    static final int LOG_LINES = 10;
    private static final List<String[]> KINDS = List.of(
            new String[] {"", "v1", "pods"},
            new String[] {"apps", "v1", "deployments"},
            new String[] {"apps", "v1", "replicasets"},
            new String[] {"apps", "v1", "statefulsets"},
            new String[] {"apps", "v1", "daemonsets"},
            new String[] {"batch", "v1", "jobs"},
            new String[] {"batch", "v1", "cronjobs"},
            new String[] {"", "v1", "services"},
            new String[] {"", "v1", "persistentvolumeclaims"});

    private NamespaceDump() {}

    static String of(KubeCluster cluster, String namespace) {
        Instant now = cluster.clock().now();
        StringBuilder sb = new StringBuilder();
        sb.append("KubeTest: namespace ").append(namespace).append(" at cluster time ").append(now).append('\n');
        for (String[] k : KINDS) {
            ResourceType type = cluster.registry().find(k[0], k[1], k[2]).orElse(null);
            if (type == null) {
                continue;
            }
            List<ObjectNode> objects = cluster.api().lists().list(type, namespace, ListOptions.all()).items();
            if (objects.isEmpty()) {
                continue;
            }
            sb.append('\n').append(k[2].toUpperCase(java.util.Locale.ROOT)).append('\n');
            sb.append(TableText.render(TablePrinters.table(type, objects, null, null, null, now,
                    TablePrinters.IncludeObject.NONE, true, "meta.k8s.io/v1")));
        }
        events(cluster, namespace, now, sb);
        logs(cluster, namespace, sb);
        return sb.toString();
    }

    private static void events(KubeCluster cluster, String namespace, Instant now, StringBuilder sb) {
        ResourceType type = cluster.registry().find("", "v1", "events").orElseThrow();
        List<ObjectNode> events = new ArrayList<>(cluster.api().lists().list(type, namespace, ListOptions.all()).items());
        if (events.isEmpty()) {
            sb.append("\nNo events.\n");
            return;
        }
        events.sort(Comparator.comparing(NamespaceDump::eventTime)
                .thenComparingLong(e -> e.path("metadata").path("resourceVersion").asLong(0)));
        sb.append("\nEVENTS (oldest first)\n");
        sb.append(TableText.render(TablePrinters.table(type, events, null, null, null, now,
                TablePrinters.IncludeObject.NONE, true, "meta.k8s.io/v1")));
    }

    private static String eventTime(JsonNode e) {
        String t = e.path("lastTimestamp").asText("");
        if (t.isEmpty()) {
            t = e.path("eventTime").asText("");
        }
        return t.isEmpty() ? e.path("metadata").path("creationTimestamp").asText("") : t;
    }

    private static void logs(KubeCluster cluster, String namespace, StringBuilder sb) {
        ResourceType pods = cluster.registry().find("", "v1", "pods").orElseThrow();
        for (ObjectNode pod : cluster.api().lists().list(pods, namespace, ListOptions.all()).items()) {
            for (String list : List.of("initContainerStatuses", "containerStatuses")) {
                for (JsonNode cs : pod.path("status").path(list)) {
                    int restarts = cs.path("restartCount").asInt(0);
                    boolean failing = !cs.path("ready").asBoolean(false) && !"Succeeded".equals(pod.path("status").path("phase").asText());
                    if (restarts == 0 && !failing) {
                        continue;
                    }
                    String name = cs.path("name").asText();
                    String title = "pod " + pod.path("metadata").path("name").asText() + ", container " + name
                            + (restarts > 0 ? " (" + restarts + (restarts == 1 ? " restart)" : " restarts)") : " (not ready)");
                    appendLog(sb, title, cluster.nodeConnector().container(pod, name, false));
                    if (restarts > 0) {
                        appendLog(sb, title + ", previous instance", cluster.nodeConnector().container(pod, name, true));
                    }
                }
            }
        }
    }

    private static void appendLog(StringBuilder sb, String title, ContainerProcess process) {
        if (process == null) {
            return;
        }
        List<ContainerProcess.LogLine> lines = process.logs();
        sb.append("\nLOG ").append(title).append(lines.isEmpty() ? ": empty\n" : ", last " + Math.min(LOG_LINES, lines.size()) + " lines:\n");
        for (ContainerProcess.LogLine l : lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size())) {
            sb.append("  ").append(l.text()).append('\n');
        }
    }
}
