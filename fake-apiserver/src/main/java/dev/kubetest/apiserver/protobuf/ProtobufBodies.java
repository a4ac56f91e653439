package dev.kubetest.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.kubetest.core.meta.ApiException;
import dev.kubetest.core.json.Json;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies: the {@code k8s\0} envelope around a
 * {@code runtime.Unknown}, whose TypeMeta picks the message type among the generated descriptors of
 * client-java-proto, then one generic message-to-JSON mapping for every kind, with the special types of
 * apimachinery (Time, MicroTime, Quantity, IntOrString, RawExtension, Duration, FieldsV1) written as the JSON
 * form Kubernetes uses for them.
 */
public final class ProtobufBodies {
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final Map<String, String> GROUP_OF_PACKAGE = Map.ofEntries(
            Map.entry("core", ""),
            Map.entry("rbac", "rbac.authorization.k8s.io"),
            Map.entry("networking", "networking.k8s.io"),
            Map.entry("scheduling", "scheduling.k8s.io"),
            Map.entry("authentication", "authentication.k8s.io"),
            Map.entry("authorization", "authorization.k8s.io"),
            Map.entry("storage", "storage.k8s.io"),
            Map.entry("certificates", "certificates.k8s.io"),
            Map.entry("admissionregistration", "admissionregistration.k8s.io"),
            Map.entry("coordination", "coordination.k8s.io"),
            Map.entry("discovery", "discovery.k8s.io"),
            Map.entry("events", "events.k8s.io"));
    private static final List<FileDescriptor> FILES = List.of(
            io.kubernetes.client.proto.V1.getDescriptor(),
            io.kubernetes.client.proto.V1Apps.getDescriptor(),
            io.kubernetes.client.proto.V1Batch.getDescriptor(),
            io.kubernetes.client.proto.V1Autoscaling.getDescriptor(),
            io.kubernetes.client.proto.V1Rbac.getDescriptor(),
            io.kubernetes.client.proto.V1Networking.getDescriptor(),
            io.kubernetes.client.proto.V1Policy.getDescriptor(),
            io.kubernetes.client.proto.V1Scheduling.getDescriptor(),
            io.kubernetes.client.proto.V1Authentication.getDescriptor(),
            io.kubernetes.client.proto.V1Authorization.getDescriptor(),
            io.kubernetes.client.proto.V1Storage.getDescriptor(),
            io.kubernetes.client.proto.V1Certificates.getDescriptor(),
            io.kubernetes.client.proto.V1Admissionregistration.getDescriptor(),
            io.kubernetes.client.proto.V2beta2Autoscaling.getDescriptor());
    private static final Map<String, Descriptor> BY_GVK = index();
    /** Go structs embedded with {@code json:",inline"}: a field in protobuf, their fields in JSON. */
    private static final java.util.Set<String> INLINED = java.util.Set.of("ingressRuleValue", "volumeSource",
            "persistentVolumeSource", "handler", "ephemeralContainerCommon", "localObjectReference");

    private ProtobufBodies() {}

    private static Map<String, Descriptor> index() {
        Map<String, Descriptor> m = new HashMap<>();
        for (FileDescriptor f : FILES) {
            String[] pkg = f.getPackage().split("\\.");
            String version = pkg[pkg.length - 1];
            String group = GROUP_OF_PACKAGE.getOrDefault(pkg[pkg.length - 2], pkg[pkg.length - 2]);
            String apiVersion = group.isEmpty() ? version : group + "/" + version;
            for (Descriptor d : f.getMessageTypes()) {
                m.put(apiVersion + "/" + d.getName(), d);
            }
        }
        return Map.copyOf(m);
    }

    public static boolean hasEnvelope(byte[] body) {
        if (body.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (body[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** The object in a protobuf body, as the JSON tree a JSON client would have sent. */
    public static ObjectNode decode(byte[] body) {
        if (!hasEnvelope(body)) {
            throw ApiException.badRequest("provided protobuf body does not start with the k8s\\0 prefix");
        }
        try {
            Runtime.Unknown unknown = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, 4, body.length - 4));
            String apiVersion = unknown.getTypeMeta().getApiVersion();
            String kind = unknown.getTypeMeta().getKind();
            Descriptor d = BY_GVK.get(apiVersion + "/" + kind);
            if (d == null) {
                throw new ApiException(415, "UnsupportedMediaType", "no protobuf message is known for " + kind
                        + " in version \"" + apiVersion + "\"; send it as application/json", null, null, null, null);
            }
            ObjectNode obj = Json.object();
            obj.put("apiVersion", apiVersion);
            obj.put("kind", kind);
            obj.setAll((ObjectNode) toJson(DynamicMessage.parseFrom(d, unknown.getRaw())));
            return obj;
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("the body of the request is not valid protobuf: " + e.getMessage());
        }
    }

    static JsonNode toJson(Message m) {
        String type = m.getDescriptorForType().getFullName();
        switch (type) {
            case "k8s.io.apimachinery.pkg.apis.meta.v1.Time":
                return Json.NODES.textNode(time(m, false));
            case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime":
                return Json.NODES.textNode(time(m, true));
            case "k8s.io.apimachinery.pkg.api.resource.Quantity":
                return Json.NODES.textNode((String) field(m, "string", ""));
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString": {
                long t = ((Number) field(m, "type", 0L)).longValue();
                return t == 1 ? Json.NODES.textNode((String) field(m, "strVal", ""))
                        : Json.NODES.numberNode(((Number) field(m, "intVal", 0)).intValue());
            }
            case "k8s.io.apimachinery.pkg.runtime.RawExtension":
                return raw((ByteString) field(m, "raw", ByteString.EMPTY));
            case "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1":
                return raw((ByteString) field(m, "Raw", ByteString.EMPTY));
            case "k8s.io.apimachinery.pkg.apis.meta.v1.Duration":
                return Json.NODES.textNode(GoDuration.format(((Number) field(m, "duration", 0L)).longValue()));
            default:
                break;
        }
        ObjectNode o = Json.object();
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (f.isMapField()) {
                ObjectNode map = o.putObject(f.getJsonName());
                for (Object entry : (List<?>) e.getValue()) {
                    Message me = (Message) entry;
                    Descriptor ed = me.getDescriptorForType();
                    Object k = me.getField(ed.findFieldByName("key"));
                    FieldDescriptor vf = ed.findFieldByName("value");
                    map.set(String.valueOf(k), value(vf, me.getField(vf)));
                }
            } else if (f.isRepeated()) {
                ArrayNode arr = o.putArray(f.getJsonName());
                for (Object v : (List<?>) e.getValue()) {
                    arr.add(value(f, v));
                }
            } else {
                JsonNode v = value(f, e.getValue());
                if (INLINED.contains(f.getName()) && v instanceof ObjectNode inline) {
                    o.setAll(inline);
                } else if (!GoZeroValues.omitted(f.getJsonName(), v)) {
                    o.set(f.getJsonName(), v);
                }
            }
        }
        return o;
    }

    private static Object field(Message m, String name, Object dflt) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return f == null || !m.hasField(f) ? dflt : m.getField(f);
    }

    private static JsonNode value(FieldDescriptor f, Object v) {
        return switch (f.getJavaType()) {
            case MESSAGE -> toJson((Message) v);
            case STRING -> Json.NODES.textNode((String) v);
            case BOOLEAN -> Json.NODES.booleanNode((Boolean) v);
            case INT -> Json.NODES.numberNode((Integer) v);
            case LONG -> Json.NODES.numberNode((Long) v);
            case DOUBLE -> Json.NODES.numberNode((Double) v);
            case FLOAT -> Json.NODES.numberNode((Float) v);
            case BYTE_STRING -> Json.NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
            case ENUM -> Json.NODES.textNode(v.toString());
        };
    }

    private static JsonNode raw(ByteString bytes) {
        if (bytes.isEmpty()) {
            return Json.object();
        }
        try {
            return Json.parse(bytes.toByteArray());
        } catch (IOException e) {
            throw ApiException.badRequest("embedded object is not JSON: " + e.getMessage());
        }
    }

    private static String time(Message m, boolean micro) {
        long seconds = ((Number) field(m, "seconds", 0L)).longValue();
        int nanos = ((Number) field(m, "nanos", 0)).intValue();
        if (seconds == 0 && nanos == 0) {
            return "";
        }
        Instant t = Instant.ofEpochSecond(seconds, nanos);
        if (!micro) {
            return t.truncatedTo(ChronoUnit.SECONDS).toString();
        }
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(t);
    }
}
