package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubetest.core.meta.ApiException.Cause;
import dev.kubetest.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * CertificateSigningRequests: the requesting user filled in (every client is the cluster admin until authentication
 * exists), a spec that never changes, validation of the request, and approval conditions that change only through
 * the approval subresource.
 */
final class CertificateSigningRequestStrategy implements KindStrategy {
    @Override
    public void prepareForCreate(ObjectNode obj) {
        ObjectNode spec = Json.with(obj, "spec");
        spec.put("username", "kubetest-admin");
        spec.putArray("groups").add("system:masters").add("system:authenticated");
        spec.remove("uid");
        spec.remove("extra");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, JsonNode old) {
        if (old.has("spec")) {
            obj.set("spec", old.get("spec").deepCopy());
        }
    }

    @Override
    public List<Cause> validateCreate(JsonNode obj) {
        List<Cause> out = new ArrayList<>();
        CertificateRequests.validateCreate(obj, out);
        return out;
    }

    @Override
    public List<Cause> admitStatus(JsonNode old, ObjectNode obj, boolean approval) {
        if (!approval) {
            CertificateRequests.keepApproval(old, obj);
        }
        return CertificateRequests.validateStatus(old, obj);
    }
}
