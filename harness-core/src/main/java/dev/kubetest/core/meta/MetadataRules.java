package dev.kubetest.core.meta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException.Cause;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Upstream's ObjectMeta validation of labels and annotations (apimachinery's ValidateLabels and
 * ValidateAnnotations), and of ConfigMap and Secret keys, with its messages. Pure functions.
 */
public final class MetadataRules {
    private static final String QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QNAME = Pattern.compile(QNAME_FMT);
    private static final String QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start "
            + "and end with an alphanumeric character";
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final String SUBDOMAIN_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    /** Upstream's TotalAnnotationSizeLimitB: keys and values of one object's annotations, 256 KiB. */
    public static final int ANNOTATIONS_LIMIT = 256 * 1024;
    /** Upstream's MaxSecretSize, which ConfigMaps share: 1 MiB of data. */
    public static final int DATA_LIMIT = 1024 * 1024;

    private MetadataRules() {}

    /** The labels and annotations of {@code obj} and of the pod and job templates a built-in kind carries. */
    public static List<Cause> check(JsonNode obj, boolean builtIn) {
        List<Cause> out = new ArrayList<>();
        meta(obj.path("metadata"), "metadata", out);
        if (builtIn) {
            JsonNode spec = obj.path("spec");
            templateMeta(spec.path("template").path("metadata"), "spec.template.metadata", out);
            templateMeta(obj.path("template").path("metadata"), "template.metadata", out);
            templateMeta(spec.path("jobTemplate").path("metadata"), "spec.jobTemplate.metadata", out);
            templateMeta(spec.path("jobTemplate").path("spec").path("template").path("metadata"),
                    "spec.jobTemplate.spec.template.metadata", out);
        }
        return out;
    }

    private static void templateMeta(JsonNode meta, String path, List<Cause> out) {
        if (meta.isObject()) {
            meta(meta, path, out);
        }
    }

    private static void meta(JsonNode meta, String path, List<Cause> out) {
        JsonNode labels = meta.path("labels");
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String msg : qualifiedName(e.getKey())) {
                out.add(invalid(path + ".labels", e.getKey(), msg));
            }
            for (String msg : labelValue(e.getValue().asText())) {
                out.add(invalid(path + ".labels", e.getValue().asText(), msg));
            }
        }
        JsonNode annotations = meta.path("annotations");
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String msg : qualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
                out.add(invalid(path + ".annotations", e.getKey(), msg));
            }
            size += utf8Length(e.getKey()) + utf8Length(e.getValue().asText());
        }
        if (size > ANNOTATIONS_LIMIT) {
            out.add(tooLong(path + ".annotations", ANNOTATIONS_LIMIT));
        }
    }

    /** Upstream's IsQualifiedName: an optional DNS subdomain prefix and '/', then a name of up to 63 characters. */
    public static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String m : subdomain(prefix)) {
                    errs.add("prefix part " + m);
                }
            }
        } else {
            errs.add("a qualified name " + regexError(QNAME_MSG, QNAME_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part must be no more than 63 characters");
        }
        if (!QNAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QNAME_MSG, QNAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    /** Upstream's IsValidLabelValue. */
    public static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add("must be no more than 63 characters");
        }
        if (!value.isEmpty() && !QNAME.matcher(value).matches()) {
            errs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
                    + "or '.', and must start and end with an alphanumeric character", "(" + QNAME_FMT + ")?",
                    "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** Upstream's IsConfigMapKey, for the keys of ConfigMap and Secret data. */
    public static List<String> configMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add("must be no more than 253 characters");
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            errs.add(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name"));
        }
        if (value.equals(".")) {
            errs.add("must not be '.'");
        } else if (value.equals("..")) {
            errs.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    static List<String> subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add("must be no more than 253 characters");
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
                    + "or '.', and must start and end with an alphanumeric character", SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /** Upstream's RegexError (1.32): examples joined by " or " after a comma, as its loop writes them. */
    static String regexError(String msg, String regex, String... examples) {
        StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                sb.append(" or ");
            }
            sb.append('\'').append(examples[i]).append("', ");
        }
        return sb.append("regex used for validation is '").append(regex).append("')").toString();
    }

    /** field.Invalid with a string value: {@code Invalid value: "v": msg}. */
    public static Cause invalid(String field, String value, String msg) {
        return new Cause("FieldValueInvalid", "Invalid value: " + goQuote(value) + ": " + msg, field);
    }

    /** field.TooLong (1.32). */
    public static Cause tooLong(String field, int max) {
        return new Cause("FieldValueTooLong", "Too long: may not be more than " + max + " bytes", field);
    }

    /** Go's {@code %q} of a string, enough for the values validation quotes. */
    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    public static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
