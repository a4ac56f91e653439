package dev.kubetest.core.admission;

import dev.kubetest.core.meta.ObjectNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.meta.ResourceType;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Services: DNS-1035 names; defaults; cluster IP and node port allocation from the cluster's ranges, kept, dropped
 * or taken as the type changes (ServiceTypeChange); validation of ports and the immutable cluster IP; what a
 * deleted Service gives back.
 */
final class ServiceStrategy implements KindStrategy {
    @Override
    public dev.kubetest.core.meta.ObjectNames.Rule nameRule() {
        return dev.kubetest.core.meta.ObjectNames.Rule.DNS1035_LABEL;
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        Json.with(Json.with(obj, "status"), "loadBalancer");
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        Defaulting.service(Json.with(obj, "spec"));
    }

    @Override
    public void admitUpdate(ResourceType type, JsonNode old, ObjectNode obj, AdmissionContext ctx) {
        String oldType = old.path("spec").path("type").asText("ClusterIP");
        String newType = obj.path("spec").path("type").asText("ClusterIP");
        if (newType.equals("ExternalName") && !oldType.equals("ExternalName")) {
            ServiceTypeChange.dropClusterFields(old, obj);
        } else if (!obj.path("spec").has("clusterIP") && old.path("spec").has("clusterIP")) {
            ObjectNode spec = Json.with(obj, "spec");
            spec.set("clusterIP", old.path("spec").get("clusterIP").deepCopy());
            if (old.path("spec").has("clusterIPs")) {
                spec.set("clusterIPs", old.path("spec").get("clusterIPs").deepCopy());
            }
        }
        if (!ServiceTypeChange.needsNodePorts(newType) && ServiceTypeChange.needsNodePorts(oldType)) {
            ServiceTypeChange.dropNodePorts(old, obj);
        }
        // away from LoadBalancer+Local, a health check port the update carried over unchanged goes, as upstream
        ObjectNode spec = Json.with(obj, "spec");
        if (!wantsHealthCheck(spec) && spec.path("healthCheckNodePort").equals(old.path("spec").path("healthCheckNodePort"))) {
            spec.remove("healthCheckNodePort");
        }
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        Validation.service(obj.path("spec"), out);
        int check = obj.path("spec").path("healthCheckNodePort").asInt(0);
        if (check != 0 && !wantsHealthCheck(obj.path("spec"))) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: " + check
                    + ": may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'", "spec.healthCheckNodePort"));
        }
        return out;
    }

    @Override
    public List<Cause> validateUpdate(JsonNode old, JsonNode obj) {
        List<Cause> out = new ArrayList<>(validateCreate(obj));
        String was = old.path("spec").path("clusterIP").asText("");
        String now = obj.path("spec").path("clusterIP").asText("");
        if (!was.isEmpty() && !was.equals(now) && !"ExternalName".equals(obj.path("spec").path("type").asText())) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + now + "\": field is immutable", "spec.clusterIP"));
        }
        return out;
    }

    @Override
    public void allocate(ResourceType type, ObjectNode obj, AdmissionContext ctx) {
        allocateAddresses(type, obj, obj.path("metadata").path("name").asText(), ctx.addresses());
    }

    @Override
    public void reallocate(ResourceType type, JsonNode old, ObjectNode obj, AdmissionContext ctx) {
        String oldType = old.path("spec").path("type").asText("ClusterIP");
        String newType = obj.path("spec").path("type").asText("ClusterIP");
        String name = obj.path("metadata").path("name").asText();
        if (oldType.equals("ExternalName") && !newType.equals("ExternalName")) {
            allocateAddresses(type, obj, name, ctx.addresses());
        } else if (!ServiceTypeChange.needsNodePorts(oldType) && ServiceTypeChange.needsNodePorts(newType)) {
            allocateNodePorts(type, Json.with(obj, "spec"), name, ctx.addresses());
        }
        ObjectNode spec = Json.with(obj, "spec");
        int oldCheck = old.path("spec").path("healthCheckNodePort").asInt(0);
        if (wantsHealthCheck(spec)) {
            if (spec.path("healthCheckNodePort").asInt(0) == 0 && oldCheck != 0) {
                spec.put("healthCheckNodePort", oldCheck);
            } else if (spec.path("healthCheckNodePort").asInt(0) != oldCheck) {
                allocateHealthCheck(type, spec, name, ctx.addresses());
            }
        } else {
            spec.remove("healthCheckNodePort");
        }
        if (oldCheck != 0 && spec.path("healthCheckNodePort").asInt(0) != oldCheck) {
            ctx.addresses().releaseNodePort(oldCheck);
        }
        ServiceTypeChange.released(old, obj).forEach(r -> released(r, ctx));
    }

    /** A LoadBalancer with externalTrafficPolicy Local gets a node port for the load balancer's health checks. */
    private static boolean wantsHealthCheck(JsonNode spec) {
        return "LoadBalancer".equals(spec.path("type").asText()) && "Local".equals(spec.path("externalTrafficPolicy").asText());
    }

    private static void allocateHealthCheck(ResourceType type, ObjectNode spec, String name, ServiceAddresses addresses) {
        int asked = spec.path("healthCheckNodePort").asInt(0);
        if (asked == 0) {
            spec.put("healthCheckNodePort", addresses.allocateNodePort());
            return;
        }
        boolean claimed;
        try {
            claimed = addresses.claimNodePort(asked);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                    "Invalid value: " + asked + ": " + e.getMessage(), "spec.healthCheckNodePort")));
        }
        if (!claimed) {
            throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                    "Invalid value: " + asked + ": provided port is already allocated", "spec.healthCheckNodePort")));
        }
    }

    @Override
    public void released(JsonNode obj, AdmissionContext ctx) {
        String ip = obj.path("spec").path("clusterIP").asText("");
        if (!ip.isEmpty() && !ip.equals("None")) {
            ctx.addresses().releaseIp(ip);
        }
        for (JsonNode p : obj.path("spec").path("ports")) {
            if (p.has("nodePort")) {
                ctx.addresses().releaseNodePort(p.path("nodePort").asInt());
            }
        }
        if (obj.path("spec").path("healthCheckNodePort").asInt(0) != 0) {
            ctx.addresses().releaseNodePort(obj.path("spec").path("healthCheckNodePort").asInt());
        }
    }

    private static void allocateAddresses(ResourceType type, ObjectNode svc, String name, ServiceAddresses addresses) {
        ObjectNode spec = Json.with(svc, "spec");
        String svcType = spec.path("type").asText("ClusterIP");
        if (svcType.equals("ExternalName")) {
            return;
        }
        String ip = spec.path("clusterIP").asText("");
        if (ip.isEmpty()) {
            ip = addresses.allocateIp();
        } else if (!ip.equals("None")) {
            try {
                if (!addresses.claimIp(ip)) {
                    throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                            "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip
                                    + ": provided IP is already allocated", "spec.clusterIPs")));
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                        "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip + ": " + e.getMessage(),
                        "spec.clusterIPs")));
            }
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        if (!ip.equals("None") || spec.has("selector")) {
            if (!spec.has("ipFamilies")) {
                spec.putArray("ipFamilies").add("IPv4");
            }
            if (!spec.has("ipFamilyPolicy")) {
                spec.put("ipFamilyPolicy", "SingleStack");
            }
        }
        if (svcType.equals("NodePort") || svcType.equals("LoadBalancer")) {
            allocateNodePorts(type, spec, name, addresses);
        }
        if (wantsHealthCheck(spec)) {
            allocateHealthCheck(type, spec, name, addresses);
        }
    }

    private static void allocateNodePorts(ResourceType type, ObjectNode spec, String name, ServiceAddresses addresses) {
        JsonNode ports = spec.path("ports");
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode p = (ObjectNode) ports.get(i);
            if (p.has("nodePort") && p.get("nodePort").asInt() != 0) {
                int np = p.get("nodePort").asInt();
                try {
                    if (!addresses.claimNodePort(np)) {
                        throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                                "Invalid value: " + np + ": provided port is already allocated", "spec.ports[" + i + "].nodePort")));
                    }
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
                            "Invalid value: " + np + ": " + e.getMessage(), "spec.ports[" + i + "].nodePort")));
                }
            } else if (!"LoadBalancer".equals(spec.path("type").asText()) || spec.path("allocateLoadBalancerNodePorts").asBoolean(true)) {
                // a LoadBalancer with allocateLoadBalancerNodePorts false gets only the node ports asked for
                p.put("nodePort", addresses.allocateNodePort());
            }
        }
    }
}
