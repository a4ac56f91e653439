package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.json.Json;
import dev.kubetest.core.tls.CertificateRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Upstream's validation of CertificateSigningRequests (certificates.k8s.io/v1). Pure. */
public final class CertificateRequests {
    /** The key usages upstream accepts in {@code spec.usages}. */
    public static final List<String> USAGES = List.of("signing", "digital signature", "content commitment",
            "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign", "encipher only",
            "decipher only", "any", "server auth", "client auth", "code signing", "email protection", "s/mime",
            "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc",
            "netscape sgc");
    private static final Set<String> APPROVAL = Set.of("Approved", "Denied");

    private CertificateRequests() {}

    /** The request's PEM text ({@code spec.request} is base64 of it in JSON). */
    public static String requestPem(JsonNode csr) {
        try {
            return new String(Base64.getDecoder().decode(csr.path("spec").path("request").asText("")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static void validateCreate(JsonNode csr, List<Cause> out) {
        JsonNode spec = csr.path("spec");
        String request = spec.path("request").asText("");
        if (request.isEmpty()) {
            out.add(Validation.required("spec.request"));
        } else {
            try {
                CertificateRequest.parsePem(requestPem(csr));
            } catch (CertificateRequest.Invalid e) {
                out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + request + "\": " + e.getMessage(), "spec.request"));
            }
        }
        String signer = spec.path("signerName").asText("");
        if (signer.isEmpty()) {
            out.add(Validation.required("spec.signerName"));
        } else if (!signer.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")) {
            out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + signer + "\": must be a fully qualified domain "
                    + "and path of the form 'example.com/signer-name'", "spec.signerName"));
        }
        JsonNode usages = spec.path("usages");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < usages.size(); i++) {
            String u = usages.get(i).asText();
            if (!USAGES.contains(u)) {
                out.add(Validation.notSupported("spec.usages[" + i + "]", u, USAGES));
            } else if (!seen.add(u)) {
                out.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + u + "\"", "spec.usages[" + i + "]"));
            }
        }
        if (usages.isEmpty()) {
            out.add(Validation.required("spec.usages"));
        }
        if (spec.has("expirationSeconds") && spec.path("expirationSeconds").asLong() < 600) {
            long s = spec.path("expirationSeconds").asLong();
            out.add(new Cause("FieldValueInvalid", "Invalid value: " + s + ": may not specify a duration less than 600 "
                    + "seconds (10 minutes)", "spec.expirationSeconds"));
        }
    }

    /** A status update keeps the Approved and Denied conditions as they were (upstream's status strategy). */
    static void keepApproval(JsonNode old, ObjectNode csr) {
        ArrayNode conditions = Json.NODES.arrayNode();
        for (JsonNode c : old.path("status").path("conditions")) {
            if (APPROVAL.contains(c.path("type").asText())) {
                conditions.add(c.deepCopy());
            }
        }
        for (JsonNode c : csr.path("status").path("conditions")) {
            if (!APPROVAL.contains(c.path("type").asText())) {
                conditions.add(c.deepCopy());
            }
        }
        if (conditions.isEmpty()) {
            Json.with(csr, "status").remove("conditions");
        } else {
            Json.with(csr, "status").set("conditions", conditions);
        }
    }

    static List<Cause> validateStatus(JsonNode old, JsonNode csr) {
        List<Cause> out = new ArrayList<>();
        JsonNode conditions = csr.path("status").path("conditions");
        boolean approved = false;
        boolean denied = false;
        Set<String> types = new HashSet<>();
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode c = conditions.get(i);
            String type = c.path("type").asText("");
            String path = "status.conditions[" + i + "]";
            if (type.isEmpty()) {
                out.add(Validation.required(path + ".type"));
                continue;
            }
            if (!types.add(type) && (APPROVAL.contains(type) || type.equals("Failed"))) {
                out.add(new Cause("FieldValueDuplicate", "Duplicate value: \"" + type + "\"", path + ".type"));
            }
            String status = c.path("status").asText("");
            if ((APPROVAL.contains(type) || type.equals("Failed")) && !status.equals("True")) {
                out.add(Validation.notSupported(path + ".status", status, List.of("True")));
            }
            approved |= type.equals("Approved");
            denied |= type.equals("Denied");
            if (approved && denied) {
                out.add(new Cause("FieldValueInvalid", "Invalid value: \"" + type + "\": Approved and Denied conditions "
                        + "are mutually exclusive", path + ".type"));
            }
        }
        for (JsonNode c : old.path("status").path("conditions")) {
            String type = c.path("type").asText();
            if ((APPROVAL.contains(type) || type.equals("Failed")) && !types.contains(type)) {
                out.add(new Cause("FieldValueForbidden", "Forbidden: updates may not remove a condition of type \""
                        + type + "\"", "status.conditions"));
            }
        }
        String oldCert = old.path("status").path("certificate").asText("");
        String cert = csr.path("status").path("certificate").asText("");
        if (!oldCert.isEmpty() && !oldCert.equals(cert)) {
            out.add(new Cause("FieldValueForbidden", "Forbidden: updates may not modify existing certificate content",
                    "status.certificate"));
        }
        if (!cert.isEmpty() && !approved) {
            out.add(new Cause("FieldValueForbidden", "Forbidden: certificate issuance requires an Approved condition",
                    "status.certificate"));
        }
        return out;
    }
}
