package dev.kubetest.apiserver.table;

import static dev.kubetest.apiserver.table.Column.ageColumn;
import static dev.kubetest.apiserver.table.Column.integer;
import static dev.kubetest.apiserver.table.Column.nameColumn;
import static dev.kubetest.apiserver.table.Column.string;
import static dev.kubetest.apiserver.table.Column.wide;
import static dev.kubetest.apiserver.table.TablePrinters.containerField;
import static dev.kubetest.apiserver.table.TablePrinters.iterable;
import static dev.kubetest.apiserver.table.TablePrinters.join;
import static dev.kubetest.apiserver.table.TablePrinters.selectorText;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The columns upstream's printers use per kind (kubernetes/pkg/printers/internalversion), as data. */
final class KindColumns {
    private KindColumns() {}

    private static String text(JsonNode n, String... path) {
        JsonNode c = n;
        for (String p : path) {
            c = c.path(p);
        }
        return c.isMissingNode() || c.isNull() ? "" : c.asText();
    }

    private static long num(JsonNode n, String... path) {
        JsonNode c = n;
        for (String p : path) {
            c = c.path(p);
        }
        return c.asLong(0);
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "<none>" : s;
    }

    private static String podIp(JsonNode o) {
        return orNone(text(o, "status", "podIP"));
    }

    private static String readinessGates(JsonNode o) {
        JsonNode gates = o.path("spec").path("readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        int ready = 0;
        for (JsonNode g : gates) {
            for (JsonNode c : o.path("status").path("conditions")) {
                if (c.path("type").asText().equals(g.path("conditionType").asText()) && "True".equals(c.path("status").asText())) {
                    ready++;
                }
            }
        }
        return ready + "/" + gates.size();
    }

    private static final List<Column> PODS = List.of(
            nameColumn(),
            string("Ready", (o, now) -> PodStatusText.ready(o)),
            string("Status", (o, now) -> PodStatusText.status(o)),
            string("Restarts", (o, now) -> PodStatusText.restarts(o, now)),
            ageColumn(),
            wide("IP", (o, now) -> podIp(o)),
            wide("Node", (o, now) -> orNone(text(o, "spec", "nodeName"))),
            wide("Nominated Node", (o, now) -> orNone(text(o, "status", "nominatedNodeName"))),
            wide("Readiness Gates", (o, now) -> readinessGates(o)));

    private static List<Column> templateWide(String... selectorPath) {
        return List.of(
                wide("Containers", (o, now) -> join(containerField(o.path("spec").path("template").path("spec"), "name"))),
                wide("Images", (o, now) -> join(containerField(o.path("spec").path("template").path("spec"), "image"))),
                wide("Selector", (o, now) -> selectorText(o.path("spec").path("selector"))));
    }

    private static List<Column> concat(List<Column> a, List<Column> b) {
        List<Column> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    private static final List<Column> DEPLOYMENTS = concat(List.of(
            nameColumn(),
            string("Ready", (o, now) -> num(o, "status", "readyReplicas") + "/" + o.path("spec").path("replicas").asLong(1)),
            integer("Up-to-date", (o, now) -> num(o, "status", "updatedReplicas")),
            integer("Available", (o, now) -> num(o, "status", "availableReplicas")),
            ageColumn()), templateWide());

    private static final List<Column> REPLICASETS = concat(List.of(
            nameColumn(),
            integer("Desired", (o, now) -> o.path("spec").path("replicas").asLong(1)),
            integer("Current", (o, now) -> num(o, "status", "replicas")),
            integer("Ready", (o, now) -> num(o, "status", "readyReplicas")),
            ageColumn()), templateWide());

    private static final List<Column> STATEFULSETS = List.of(
            nameColumn(),
            string("Ready", (o, now) -> num(o, "status", "readyReplicas") + "/" + o.path("spec").path("replicas").asLong(1)),
            ageColumn(),
            wide("Containers", (o, now) -> join(containerField(o.path("spec").path("template").path("spec"), "name"))),
            wide("Images", (o, now) -> join(containerField(o.path("spec").path("template").path("spec"), "image"))));

    private static final List<Column> DAEMONSETS = concat(List.of(
            nameColumn(),
            integer("Desired", (o, now) -> num(o, "status", "desiredNumberScheduled")),
            integer("Current", (o, now) -> num(o, "status", "currentNumberScheduled")),
            integer("Ready", (o, now) -> num(o, "status", "numberReady")),
            integer("Up-to-date", (o, now) -> num(o, "status", "updatedNumberScheduled")),
            integer("Available", (o, now) -> num(o, "status", "numberAvailable")),
            string("Node Selector", (o, now) -> TablePrinters.mapSelectorText(o.path("spec").path("template").path("spec").path("nodeSelector"))),
            ageColumn()), templateWide());

    /** kubectl's precedence: Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet, Running. */
    private static String jobStatus(JsonNode o) {
        java.util.Set<String> trueTypes = new java.util.HashSet<>();
        for (JsonNode c : o.path("status").path("conditions")) {
            if ("True".equals(c.path("status").asText())) {
                trueTypes.add(c.path("type").asText());
            }
        }
        if (trueTypes.contains("Complete")) {
            return "Complete";
        }
        if (trueTypes.contains("Failed")) {
            return "Failed";
        }
        if (o.path("metadata").hasNonNull("deletionTimestamp")) {
            return "Terminating";
        }
        for (String type : new String[] {"Suspended", "FailureTarget", "SuccessCriteriaMet"}) {
            if (trueTypes.contains(type)) {
                return type;
            }
        }
        return "Running";
    }

    private static String jobDuration(JsonNode o, Instant now) {
        String start = text(o, "status", "startTime");
        if (start.isEmpty()) {
            return "";
        }
        String end = text(o, "status", "completionTime");
        Instant until = end.isEmpty() ? now : Instant.parse(end);
        return HumanDuration.format(Duration.between(Instant.parse(start), until));
    }

    private static final List<Column> JOBS = concat(List.of(
            nameColumn(),
            string("Status", (o, now) -> jobStatus(o)),
            string("Completions", (o, now) -> {
                JsonNode c = o.path("spec").path("completions");
                long succeeded = num(o, "status", "succeeded");
                if (c.isMissingNode() || c.isNull()) {
                    long parallelism = o.path("spec").path("parallelism").asLong(1);
                    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
                }
                return succeeded + "/" + c.asLong();
            }),
            string("Duration", KindColumns::jobDuration),
            ageColumn()), templateWide());

    private static final List<Column> CRONJOBS = List.of(
            nameColumn(),
            string("Schedule", (o, now) -> text(o, "spec", "schedule")),
            string("Timezone", (o, now) -> orNone(text(o, "spec", "timeZone"))),
            string("Suspend", (o, now) -> o.path("spec").path("suspend").asBoolean(false) ? "True" : "False"),
            integer("Active", (o, now) -> o.path("status").path("active").size()),
            string("Last Schedule", (o, now) -> {
                String t = text(o, "status", "lastScheduleTime");
                return t.isEmpty() ? "<none>" : Column.age(t, now);
            }),
            ageColumn(),
            wide("Containers", (o, now) -> join(containerField(o.path("spec").path("jobTemplate").path("spec").path("template").path("spec"), "name"))),
            wide("Images", (o, now) -> join(containerField(o.path("spec").path("jobTemplate").path("spec").path("template").path("spec"), "image"))),
            wide("Selector", (o, now) -> selectorText(o.path("spec").path("jobTemplate").path("spec").path("selector"))));

    private static String servicePorts(JsonNode o) {
        List<String> parts = new ArrayList<>();
        for (JsonNode p : o.path("spec").path("ports")) {
            String s = p.path("port").asText();
            if (p.has("nodePort")) {
                s += ":" + p.path("nodePort").asText();
            }
            parts.add(s + "/" + p.path("protocol").asText("TCP"));
        }
        return parts.isEmpty() ? "<none>" : String.join(",", parts);
    }

    private static String externalIp(JsonNode o) {
        String type = text(o, "spec", "type");
        List<String> ips = new ArrayList<>();
        o.path("spec").path("externalIPs").forEach(i -> ips.add(i.asText()));
        switch (type.isEmpty() ? "ClusterIP" : type) {
            case "ExternalName":
                return text(o, "spec", "externalName");
            case "LoadBalancer":
                for (JsonNode ing : o.path("status").path("loadBalancer").path("ingress")) {
                    ips.add(ing.has("ip") ? ing.path("ip").asText() : ing.path("hostname").asText());
                }
                return ips.isEmpty() ? "<pending>" : String.join(",", ips);
            default:
                return ips.isEmpty() ? "<none>" : String.join(",", ips);
        }
    }

    private static final List<Column> SERVICES = List.of(
            nameColumn(),
            string("Type", (o, now) -> text(o, "spec", "type").isEmpty() ? "ClusterIP" : text(o, "spec", "type")),
            string("Cluster-IP", (o, now) -> orNone(text(o, "spec", "clusterIP"))),
            string("External-IP", (o, now) -> externalIp(o)),
            string("Port(s)", (o, now) -> servicePorts(o)),
            ageColumn(),
            wide("Selector", (o, now) -> TablePrinters.mapSelectorText(o.path("spec").path("selector"))));

    private static String endpoints(JsonNode o) {
        List<String> out = new ArrayList<>();
        int total = 0;
        for (JsonNode subset : o.path("subsets")) {
            for (JsonNode addr : subset.path("addresses")) {
                if (subset.path("ports").isEmpty()) {
                    total++;
                    if (out.size() < 3) {
                        out.add(addr.path("ip").asText());
                    }
                }
                for (JsonNode port : subset.path("ports")) {
                    total++;
                    if (out.size() < 3) {
                        out.add(addr.path("ip").asText() + ":" + port.path("port").asText());
                    }
                }
            }
        }
        if (out.isEmpty()) {
            return "<none>";
        }
        String s = String.join(",", out);
        return total > 3 ? s + " + " + (total - 3) + " more..." : s;
    }

    private static final List<Column> ENDPOINTS = List.of(nameColumn(), string("Endpoints", (o, now) -> endpoints(o)), ageColumn());

    private static final List<Column> NETWORK_POLICIES = List.of(nameColumn(),
            string("Pod-Selector", (o, now) -> selectorText(o.path("spec").path("podSelector"))), ageColumn());

    private static final List<Column> INGRESS_CLASSES = List.of(nameColumn(),
            string("Controller", (o, now) -> text(o, "spec", "controller")),
            string("Parameters", (o, now) -> {
                JsonNode p = o.path("spec").path("parameters");
                if (p.isMissingNode() || p.isNull()) {
                    return "<none>";
                }
                String group = p.path("apiGroup").asText("");
                return p.path("kind").asText() + (group.isEmpty() ? "" : "." + group) + "/" + p.path("name").asText();
            }), ageColumn());

    private static final List<Column> CONFIGMAPS = List.of(nameColumn(),
            integer("Data", (o, now) -> o.path("data").size() + o.path("binaryData").size()), ageColumn());

    private static final List<Column> SECRETS = List.of(nameColumn(),
            string("Type", (o, now) -> text(o, "type").isEmpty() ? "Opaque" : text(o, "type")),
            integer("Data", (o, now) -> o.path("data").size()), ageColumn());

    private static final List<Column> NAMESPACES = List.of(nameColumn(),
            string("Status", (o, now) -> text(o, "status", "phase")), ageColumn());

    private static String nodeStatus(JsonNode o) {
        String ready = "Unknown";
        for (JsonNode c : o.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                ready = "True".equals(c.path("status").asText()) ? "Ready" : "NotReady";
            }
        }
        if (o.path("spec").path("unschedulable").asBoolean(false)) {
            ready += ",SchedulingDisabled";
        }
        return ready;
    }

    private static String nodeRoles(JsonNode o) {
        List<String> roles = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : iterable(o.path("metadata").path("labels"))) {
            if (e.getKey().startsWith("node-role.kubernetes.io/")) {
                roles.add(e.getKey().substring("node-role.kubernetes.io/".length()));
            } else if (e.getKey().equals("kubernetes.io/role")) {
                roles.add(e.getValue().asText());
            }
        }
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }

    private static String nodeAddress(JsonNode o, String type) {
        for (JsonNode a : o.path("status").path("addresses")) {
            if (type.equals(a.path("type").asText())) {
                return a.path("address").asText();
            }
        }
        return "<none>";
    }

    private static final List<Column> NODES = List.of(nameColumn(),
            string("Status", (o, now) -> nodeStatus(o)),
            string("Roles", (o, now) -> nodeRoles(o)),
            ageColumn(),
            string("Version", (o, now) -> text(o, "status", "nodeInfo", "kubeletVersion")),
            wide("Internal-IP", (o, now) -> nodeAddress(o, "InternalIP")),
            wide("External-IP", (o, now) -> nodeAddress(o, "ExternalIP")),
            wide("OS-Image", (o, now) -> text(o, "status", "nodeInfo", "osImage")),
            wide("Kernel-Version", (o, now) -> text(o, "status", "nodeInfo", "kernelVersion")),
            wide("Container-Runtime", (o, now) -> text(o, "status", "nodeInfo", "containerRuntimeVersion")));

    private static String accessModes(JsonNode modes) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : modes) {
            out.add(switch (m.asText()) {
                case "ReadWriteOnce" -> "RWO";
                case "ReadOnlyMany" -> "ROX";
                case "ReadWriteMany" -> "RWX";
                case "ReadWriteOncePod" -> "RWOP";
                default -> m.asText();
            });
        }
        return String.join(",", out);
    }

    private static final List<Column> PVS = List.of(nameColumn(),
            string("Capacity", (o, now) -> text(o, "spec", "capacity", "storage")),
            string("Access Modes", (o, now) -> accessModes(o.path("spec").path("accessModes"))),
            string("Reclaim Policy", (o, now) -> text(o, "spec", "persistentVolumeReclaimPolicy")),
            string("Status", (o, now) -> o.path("metadata").hasNonNull("deletionTimestamp") ? "Terminating" : text(o, "status", "phase")),
            string("Claim", (o, now) -> o.path("spec").has("claimRef")
                    ? text(o, "spec", "claimRef", "namespace") + "/" + text(o, "spec", "claimRef", "name") : ""),
            string("StorageClass", (o, now) -> text(o, "spec", "storageClassName")),
            string("VolumeAttributesClass", (o, now) -> orNone(text(o, "spec", "volumeAttributesClassName"))),
            string("Reason", (o, now) -> text(o, "status", "reason")),
            ageColumn(),
            wide("VolumeMode", (o, now) -> text(o, "spec", "volumeMode").isEmpty() ? "Filesystem" : text(o, "spec", "volumeMode")));

    private static final List<Column> PVCS = List.of(nameColumn(),
            string("Status", (o, now) -> o.path("metadata").hasNonNull("deletionTimestamp") ? "Terminating" : text(o, "status", "phase")),
            string("Volume", (o, now) -> text(o, "spec", "volumeName")),
            string("Capacity", (o, now) -> text(o, "status", "capacity", "storage")),
            string("Access Modes", (o, now) -> accessModes(o.path("status").path("accessModes"))),
            string("StorageClass", (o, now) -> text(o, "spec", "storageClassName")),
            string("VolumeAttributesClass", (o, now) -> orNone(text(o, "spec", "volumeAttributesClassName"))),
            ageColumn(),
            wide("VolumeMode", (o, now) -> text(o, "spec", "volumeMode").isEmpty() ? "Filesystem" : text(o, "spec", "volumeMode")));

    private static final List<Column> INGRESSES = List.of(nameColumn(),
            string("Class", (o, now) -> orNone(text(o, "spec", "ingressClassName"))),
            string("Hosts", (o, now) -> {
                List<String> hosts = new ArrayList<>();
                o.path("spec").path("rules").forEach(r -> {
                    if (r.has("host")) {
                        hosts.add(r.path("host").asText());
                    }
                });
                return hosts.isEmpty() ? "*" : String.join(",", hosts);
            }),
            string("Address", (o, now) -> {
                List<String> a = new ArrayList<>();
                o.path("status").path("loadBalancer").path("ingress").forEach(i ->
                        a.add(i.has("ip") ? i.path("ip").asText() : i.path("hostname").asText()));
                return String.join(",", a);
            }),
            string("Ports", (o, now) -> o.path("spec").path("tls").isEmpty() ? "80" : "80, 443"),
            ageColumn());

    private static String eventLastSeen(JsonNode o, Instant now) {
        String t = text(o, "lastTimestamp");
        if (t.isEmpty()) {
            t = text(o, "eventTime");
        }
        if (t.isEmpty()) {
            t = text(o, "metadata", "creationTimestamp");
        }
        return t.isEmpty() ? "<unknown>" : HumanDuration.format(Duration.between(Instant.parse(t), now));
    }

    private static final List<Column> EVENTS = List.of(
            string("Last Seen", KindColumns::eventLastSeen),
            string("Type", (o, now) -> text(o, "type")),
            string("Reason", (o, now) -> text(o, "reason")),
            string("Object", (o, now) -> text(o, "involvedObject", "kind").toLowerCase() + "/" + text(o, "involvedObject", "name")),
            wide("Subobject", (o, now) -> text(o, "involvedObject", "fieldPath")),
            wide("Source", (o, now) -> {
                String c = text(o, "source", "component");
                String h = text(o, "source", "host");
                return c.isEmpty() ? text(o, "reportingComponent") : h.isEmpty() ? c : c + ", " + h;
            }),
            string("Message", (o, now) -> text(o, "message").trim()),
            wide("First Seen", (o, now) -> {
                String t = text(o, "firstTimestamp");
                return t.isEmpty() ? "<unknown>" : HumanDuration.format(Duration.between(Instant.parse(t), now));
            }),
            new Column("Count", "string", "", 1, "", (o, now) -> Long.toString(Math.max(1, num(o, "count")))),
            new Column("Name", "string", "name", 1, "", (o, now) -> text(o, "metadata", "name")));

    private static final List<Column> SERVICEACCOUNTS = List.of(nameColumn(),
            integer("Secrets", (o, now) -> o.path("secrets").size()), ageColumn());

    private static final List<Column> LEASES = List.of(nameColumn(),
            string("Holder", (o, now) -> text(o, "spec", "holderIdentity")), ageColumn());

    private static final List<Column> PRIORITY_CLASSES = List.of(nameColumn(),
            integer("Value", (o, now) -> o.path("value").asLong(0)),
            new Column("Global-Default", "boolean", "", 0, "", (o, now) -> o.path("globalDefault").asBoolean(false)),
            ageColumn(),
            string("PreemptionPolicy", (o, now) -> o.path("preemptionPolicy").asText("")));

    private static final List<Column> DISRUPTION_BUDGETS = List.of(nameColumn(),
            string("Min Available", (o, now) -> o.path("spec").hasNonNull("minAvailable") ? o.path("spec").path("minAvailable").asText() : "N/A"),
            string("Max Unavailable", (o, now) -> o.path("spec").hasNonNull("maxUnavailable") ? o.path("spec").path("maxUnavailable").asText() : "N/A"),
            integer("Allowed Disruptions", (o, now) -> o.path("status").path("disruptionsAllowed").asLong(0)),
            ageColumn());

    /** upstream's APIService printer: "Local" for an APIService served by the API server itself. */
    private static final List<Column> API_SERVICES = List.of(nameColumn(),
            string("Service", (o, now) -> o.path("spec").path("service").isObject()
                    ? text(o, "spec", "service", "namespace") + "/" + text(o, "spec", "service", "name") : "Local"),
            string("Available", (o, now) -> {
                for (JsonNode c : o.path("status").path("conditions")) {
                    if (c.path("type").asText().equals("Available")) {
                        String status = c.path("status").asText();
                        return status.equals("True") ? status : status + " (" + c.path("reason").asText() + ")";
                    }
                }
                return "Unknown";
            }),
            ageColumn());

    /** upstream's CertificateSigningRequest printer. */
    private static final List<Column> CSRS = List.of(nameColumn(), ageColumn(),
            string("SignerName", (o, now) -> text(o, "spec", "signerName")),
            string("Requestor", (o, now) -> text(o, "spec", "username")),
            string("RequestedDuration", (o, now) -> o.path("spec").has("expirationSeconds")
                    ? HumanDuration.format(Duration.ofSeconds(o.path("spec").path("expirationSeconds").asLong())) : "<none>"),
            string("Condition", (o, now) -> {
                List<String> conditions = new ArrayList<>();
                for (JsonNode c : o.path("status").path("conditions")) {
                    conditions.add(c.path("type").asText());
                }
                if (!text(o, "status", "certificate").isEmpty()) {
                    conditions.add("Issued");
                }
                return conditions.isEmpty() ? "Pending" : String.join(",", conditions);
            }));

    private static final List<Column> CREATED_AT = List.of(nameColumn(),
            new Column("Created At", "date", "", 0, "", (o, now) -> text(o, "metadata", "creationTimestamp")));

    static final Map<String, List<Column>> BY_RESOURCE = Map.ofEntries(
            Map.entry("pods", PODS),
            Map.entry("deployments.apps", DEPLOYMENTS),
            Map.entry("replicasets.apps", REPLICASETS),
            Map.entry("replicationcontrollers", REPLICASETS),
            Map.entry("statefulsets.apps", STATEFULSETS),
            Map.entry("daemonsets.apps", DAEMONSETS),
            Map.entry("jobs.batch", JOBS),
            Map.entry("cronjobs.batch", CRONJOBS),
            Map.entry("services", SERVICES),
            Map.entry("endpoints", ENDPOINTS),
            Map.entry("configmaps", CONFIGMAPS),
            Map.entry("secrets", SECRETS),
            Map.entry("namespaces", NAMESPACES),
            Map.entry("nodes", NODES),
            Map.entry("persistentvolumes", PVS),
            Map.entry("persistentvolumeclaims", PVCS),
            Map.entry("ingresses.networking.k8s.io", INGRESSES),
            Map.entry("networkpolicies.networking.k8s.io", NETWORK_POLICIES),
            Map.entry("ingressclasses.networking.k8s.io", INGRESS_CLASSES),
            Map.entry("events", EVENTS),
            Map.entry("serviceaccounts", SERVICEACCOUNTS),
            Map.entry("leases.coordination.k8s.io", LEASES),
            Map.entry("priorityclasses.scheduling.k8s.io", PRIORITY_CLASSES),
            Map.entry("poddisruptionbudgets.policy", DISRUPTION_BUDGETS),
            Map.entry("roles.rbac.authorization.k8s.io", CREATED_AT),
            Map.entry("clusterroles.rbac.authorization.k8s.io", CREATED_AT),
            Map.entry("customresourcedefinitions.apiextensions.k8s.io", CREATED_AT),
            Map.entry("limitranges", CREATED_AT),
            Map.entry("apiservices.apiregistration.k8s.io", API_SERVICES),
            Map.entry("certificatesigningrequests.certificates.k8s.io", CSRS));
}
