package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import dev.kubetest.core.KubeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server-side tables kubectl prints for every kind issue #2 names: the columns (with {@code -o wide}) in
 * upstream's order and names, and cells computed from the objects as upstream's printers compute them. One object
 * of each kind comes from one multi-document manifest ({@code tables/every-kind.yaml}).
 */
class KubectlTablesTest {
    private static final Pattern CELLS = Pattern.compile(" {2,}");
    static TestServer server;
    static Kubectl k;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(KubeCluster.builder());
        k = server.kubectl();
        Path manifest = Path.of(KubectlTablesTest.class.getResource("/tables/every-kind.yaml").toURI());
        k.run("apply", "-f", manifest.toString()).ok();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> k.run("get", "pod", "pod1", "-n", "tables", "-o", "jsonpath={.status.phase}").out().equals("Running"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void workloadsShowTheirReplicaCountsContainersImagesAndSelectors() {
        assertThat(row("pods", "pod1")).containsEntry("NAME", "pod1").containsEntry("READY", "1/1")
                .containsEntry("STATUS", "Running").containsEntry("RESTARTS", "0").containsEntry("NODE", "kubetest-node-1")
                .containsEntry("NOMINATED NODE", "<none>").containsEntry("READINESS GATES", "<none>");
        assertThat(header("pods")).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                "NOMINATED NODE", "READINESS GATES");

        assertThat(header("deployments")).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE",
                "CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(row("deployments", "d1")).containsEntry("READY", "0/2").containsEntry("CONTAINERS", "main")
                .containsEntry("IMAGES", "busybox").containsEntry("SELECTOR", "app=d1");

        assertThat(header("replicasets")).containsExactly("NAME", "DESIRED", "CURRENT", "READY", "AGE",
                "CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(row("replicasets", "rs1")).containsEntry("DESIRED", "3").containsEntry("SELECTOR", "app=rs1");

        assertThat(header("statefulsets")).containsExactly("NAME", "READY", "AGE", "CONTAINERS", "IMAGES");
        assertThat(row("statefulsets", "sts1")).containsEntry("READY", "0/1").containsEntry("IMAGES", "busybox");

        assertThat(header("daemonsets")).containsExactly("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE",
                "AVAILABLE", "NODE SELECTOR", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(row("daemonsets", "ds1")).containsEntry("NODE SELECTOR", "disk=ssd").containsEntry("SELECTOR", "app=ds1");

        assertThat(header("jobs")).containsExactly("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE",
                "CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(row("jobs", "job1")).containsEntry("STATUS", "Running").containsEntry("COMPLETIONS", "0/3")
                .hasEntrySatisfying("SELECTOR", s -> assertThat(s).startsWith("batch.kubernetes.io/controller-uid="));

        assertThat(header("cronjobs")).containsExactly("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE",
                "LAST SCHEDULE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(row("cronjobs", "cj1")).containsEntry("SCHEDULE", "0 0 1 1 *").containsEntry("TIMEZONE", "Etc/UTC")
                .containsEntry("SUSPEND", "False").containsEntry("ACTIVE", "0").containsEntry("LAST SCHEDULE", "<none>");
    }

    @Test
    void servicesConfigAndStorageShowWhatUpstreamPrints() {
        assertThat(header("services")).containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE",
                "SELECTOR");
        assertThat(row("services", "svc1")).containsEntry("TYPE", "ClusterIP").containsEntry("EXTERNAL-IP", "<none>")
                .containsEntry("PORT(S)", "80/TCP").containsEntry("SELECTOR", "app=web");

        assertThat(header("endpoints")).containsExactly("NAME", "ENDPOINTS", "AGE");
        assertThat(row("endpoints", "ep1")).containsEntry("ENDPOINTS", "10.244.0.5:8080");

        assertThat(header("configmaps")).containsExactly("NAME", "DATA", "AGE");
        assertThat(row("configmaps", "cm1")).containsEntry("DATA", "2");
        assertThat(header("secrets")).containsExactly("NAME", "TYPE", "DATA", "AGE");
        assertThat(row("secrets", "s1")).containsEntry("TYPE", "Opaque").containsEntry("DATA", "1");

        assertThat(header("ingresses")).containsExactly("NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE");
        assertThat(row("ingresses", "ing1")).containsEntry("CLASS", "nginx").containsEntry("HOSTS", "foo.example.com")
                .containsEntry("PORTS", "80");

        // the claim binds the static volume of its class (the volume is larger than asked: its capacity shows)
        assertThat(header("persistentvolumeclaims")).containsExactly("NAME", "STATUS", "VOLUME", "CAPACITY",
                "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE", "VOLUMEMODE");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(row("persistentvolumeclaims", "pvc1")).containsEntry("STATUS", "Bound")
                        .containsEntry("VOLUME", "pv1").containsEntry("CAPACITY", "2Gi").containsEntry("ACCESS MODES", "RWO,ROX")
                        .containsEntry("STORAGECLASS", "manual").containsEntry("VOLUMEMODE", "Filesystem"));
        assertThat(header("persistentvolumes")).containsExactly("NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY",
                "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE", "VOLUMEMODE");
        assertThat(row("persistentvolumes", "pv1")).containsEntry("CAPACITY", "2Gi").containsEntry("ACCESS MODES", "RWO,ROX")
                .containsEntry("RECLAIM POLICY", "Retain").containsEntry("STATUS", "Bound").containsEntry("CLAIM", "tables/pvc1");
    }

    @Test
    void aVolumeHeldByAFinalizerShowsTerminatingOnceDeleted() {
        k.runWithInput("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: pv-held, finalizers: [example.com/hold]}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  hostPath: {path: /held}
                """, "apply", "-f", "-").ok();
        k.run("delete", "pv", "pv-held", "--wait=false").ok();
        assertThat(row("persistentvolumes", "pv-held")).containsEntry("STATUS", "Terminating");
        k.run("patch", "pv", "pv-held", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]").ok();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> k.run("get", "pv", "pv-held", "--ignore-not-found", "-o", "name").out().isEmpty());
    }

    @Test
    void namespacesNodesAndEventsShowWhatUpstreamPrints() {
        assertThat(header("namespaces")).containsExactly("NAME", "STATUS", "AGE");
        assertThat(row("namespaces", "tables")).containsEntry("STATUS", "Active");

        assertThat(header("nodes")).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP",
                "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME");
        assertThat(row("nodes", "kubetest-node-1")).containsEntry("STATUS", "Ready").containsEntry("ROLES", "<none>")
                .containsEntry("EXTERNAL-IP", "<none>");

        assertThat(header("events")).containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE",
                "MESSAGE", "FIRST SEEN", "COUNT", "NAME");
        String events = k.run("get", "events", "-n", "tables", "--field-selector", "reason=Scheduled,involvedObject.name=pod1").ok().out();
        assertThat(events.lines().toList()).hasSize(2);
        assertThat(cells(events.lines().toList().get(1))).containsSubsequence("Normal", "Scheduled", "pod/pod1",
                "Successfully assigned tables/pod1 to kubetest-node-1");
    }

    /** The column names of {@code kubectl get <kind> -o wide} in namespace {@code tables}. */
    private static List<String> header(String kind) {
        return cells(k.run("get", kind, "-n", "tables", "-o", "wide").ok().out().lines().findFirst().orElseThrow());
    }

    /** The row of {@code name} in {@code kubectl get <kind> -o wide}, by column name. */
    private static Map<String, String> row(String kind, String name) {
        List<String> lines = k.run("get", kind, name, "-n", "tables", "-o", "wide").ok().out().lines().toList();
        assertThat(lines).as("%s %s", kind, name).hasSize(2);
        return columns(lines.get(0), lines.get(1));
    }

    private static List<String> cells(String line) {
        return Arrays.asList(CELLS.split(line.strip()));
    }

    /** Cuts a row at the header's column starts (cells can be empty, or hold single spaces). */
    private static Map<String, String> columns(String header, String line) {
        List<String> names = cells(header);
        Map<String, String> row = new java.util.LinkedHashMap<>();
        int from = 0;
        for (int i = 0; i < names.size(); i++) {
            int start = header.indexOf(names.get(i), from);
            int end = i + 1 < names.size() ? header.indexOf(names.get(i + 1), start + names.get(i).length()) : Integer.MAX_VALUE;
            from = start + names.get(i).length();
            String cell = start >= line.length() ? "" : line.substring(start, Math.min(end, line.length()));
            row.put(names.get(i), cell.strip());
        }
        return row;
    }
}
