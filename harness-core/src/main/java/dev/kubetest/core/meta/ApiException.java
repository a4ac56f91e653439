package dev.kubetest.core.meta;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.json.Json;
import java.util.List;

/**
 * A failed API call, carrying everything a {@code metav1.Status} needs. The HTTP layer writes {@link #status()}
 * as the response body; in-process callers catch it like any client would.
 */
public final class ApiException extends RuntimeException {
    private final int code;
    private final String reason;
    private final String name;
    private final String group;
    private final String kind;
    private final List<Cause> causes;
    private final Integer retryAfterSeconds;

    /** A {@code details.causes} entry. */
    public record Cause(String reason, String message, String field) {}

    public ApiException(int code, String reason, String message, String name, String group, String kind,
                        List<Cause> causes) {
        this(code, reason, message, name, group, kind, causes, null);
    }

    public ApiException(int code, String reason, String message, String name, String group, String kind,
                        List<Cause> causes, Integer retryAfterSeconds) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.name = name;
        this.group = group;
        this.kind = kind;
        this.causes = causes == null ? List.of() : List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public List<Cause> causes() {
        return causes;
    }

    public ObjectNode status() {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", getMessage());
        if (reason != null && !reason.isEmpty()) {
            s.put("reason", reason);
        }
        if (name != null || kind != null || !causes.isEmpty() || retryAfterSeconds != null || alwaysHasDetails(reason)) {
            ObjectNode d = s.putObject("details");
            if (name != null) {
                d.put("name", name);
            }
            if (group != null && !group.isEmpty()) {
                d.put("group", group);
            }
            if (kind != null) {
                d.put("kind", kind);
            }
            if (!causes.isEmpty()) {
                ArrayNode arr = d.putArray("causes");
                for (Cause c : causes) {
                    ObjectNode o = arr.addObject();
                    if (c.reason() != null) {
                        o.put("reason", c.reason());
                    }
                    if (c.message() != null) {
                        o.put("message", c.message());
                    }
                    if (c.field() != null) {
                        o.put("field", c.field());
                    }
                }
            }
            if (retryAfterSeconds != null) {
                d.put("retryAfterSeconds", retryAfterSeconds);
            }
        }
        s.put("code", code);
        return s;
    }

    /**
     * Whether upstream's constructor for this reason always sets {@code details} (NewNotFound, NewConflict,
     * NewInvalid, ...), even empty: clients such as kubectl debug read it without a nil check.
     */
    private static boolean alwaysHasDetails(String reason) {
        return switch (reason == null ? "" : reason) {
            case "NotFound", "AlreadyExists", "Conflict", "Invalid", "Forbidden", "MethodNotAllowed", "InternalError",
                    "Timeout", "TooManyRequests", "Unauthorized" -> true;
            default -> false;
        };
    }

    // ---- factories with upstream messages ----

    public static ApiException notFound(ResourceType type, String name) {
        return new ApiException(404, "NotFound", type.qualifiedResource() + " \"" + name + "\" not found",
                name, type.group(), type.plural(), null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NotFound", message, null, null, null, null);
    }

    public static ApiException alreadyExists(ResourceType type, String name) {
        return new ApiException(409, "AlreadyExists", type.qualifiedResource() + " \"" + name + "\" already exists",
                name, type.group(), type.plural(), null);
    }

    public static ApiException conflict(ResourceType type, String name) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedResource()
                + " \"" + name + "\": the object has been modified; please apply your changes to the latest version and try again",
                name, type.group(), type.plural(), null);
    }

    public static ApiException conflict(ResourceType type, String name, String detail) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedResource()
                + " \"" + name + "\": " + detail, name, type.group(), type.plural(), null);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null, null, null, null);
    }

    public static ApiException forbidden(ResourceType type, String name, String why) {
        String subject = name == null || name.isEmpty()
                ? type.qualifiedResource() : type.qualifiedResource() + " \"" + name + "\"";
        return new ApiException(403, "Forbidden", subject + " is forbidden: " + why,
                name, type.group(), type.plural(), null);
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "MethodNotAllowed", message, null, null, null, null);
    }

    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json, application/yaml, application/vnd.kubernetes.protobuf",
                null, null, null, null);
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Expired", message, null, null, null, null);
    }

    /** Upstream's NewInternalError: "Internal error occurred: ..." with the error as the one cause. */
    public static ApiException internal(String message) {
        return new ApiException(500, "InternalError", "Internal error occurred: " + message, null, null, null,
                List.of(new Cause(null, message, null)));
    }

    /** A 500 with no reason: what upstream answers for a plain Go error that no API status wraps. */
    public static ApiException unknown(String message) {
        return new ApiException(500, "", message, null, null, null, null);
    }

    /** 413, as upstream answers a body over its limit (3 MiB) or an object over etcd's (1.5 MiB). */
    public static ApiException tooLarge(String message) {
        return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: " + message,
                null, null, null, null);
    }

    /** 504, upstream's NewTooLargeResourceVersionError: a read at a revision the store has not reached. */
    public static ApiException tooLargeResourceVersion(long asked, long current) {
        return new ApiException(504, "Timeout", "Timeout: Too large resource version: " + asked + ", current: " + current,
                null, null, null, List.of(new Cause("ResourceVersionTooLarge", "Too large resource version", null)), 1);
    }

    /** 422 with one cause per invalid field, and the upstream summary message. */
    public static ApiException invalid(ResourceType type, String name, List<Cause> causes) {
        StringBuilder msg = new StringBuilder();
        msg.append(type.kind());
        if (!type.group().isEmpty()) {
            msg.append('.').append(type.group());
        }
        msg.append(" \"").append(name == null ? "" : name).append("\" is invalid: ");
        if (causes.size() == 1) {
            Cause c = causes.get(0);
            msg.append(c.field()).append(": ").append(c.message());
        } else {
            msg.append('[');
            for (int i = 0; i < causes.size(); i++) {
                if (i > 0) {
                    msg.append(", ");
                }
                msg.append(causes.get(i).field()).append(": ").append(causes.get(i).message());
            }
            msg.append(']');
        }
        return new ApiException(422, "Invalid", msg.toString(), name, type.group(), type.kind(), causes);
    }
}
