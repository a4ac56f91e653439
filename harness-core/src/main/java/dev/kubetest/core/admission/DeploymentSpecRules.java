package dev.kubetest.core.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.meta.ApiException.Cause;
import java.util.List;
import java.util.regex.Pattern;

/** Upstream's ValidateDeploymentSpec beyond the workload rules: strategy, surge and unavailability, deadlines. */
final class DeploymentSpecRules {
    private static final Pattern PERCENT = Pattern.compile("[0-9]+%");

    private DeploymentSpecRules() {}

    static void check(JsonNode spec, List<Cause> out) {
        JsonNode strategy = spec.path("strategy");
        String type = strategy.path("type").asText("RollingUpdate");
        if (!type.equals("RollingUpdate") && !type.equals("Recreate")) {
            out.add(Validation.notSupported("spec.strategy.type", type, List.of("Recreate", "RollingUpdate")));
        }
        JsonNode ru = strategy.path("rollingUpdate");
        if (type.equals("Recreate") && ru.isObject()) {
            out.add(new Cause("FieldValueForbidden", "Forbidden: may not be specified when strategy `type` is 'Recreate'",
                    "spec.strategy.rollingUpdate"));
        }
        if (type.equals("RollingUpdate") && ru.isObject()) {
            String base = "spec.strategy.rollingUpdate.";
            boolean surgeOk = intOrPercent(ru.get("maxSurge"), base + "maxSurge", out);
            boolean unavailableOk = intOrPercent(ru.get("maxUnavailable"), base + "maxUnavailable", out);
            if (surgeOk && unavailableOk && zero(ru.get("maxSurge")) && zero(ru.get("maxUnavailable"))) {
                out.add(invalid(base + "maxUnavailable", ru.get("maxUnavailable"), "may not be 0 when `maxSurge` is 0"));
            }
            JsonNode unavailable = ru.get("maxUnavailable");
            if (unavailableOk && unavailable != null && unavailable.isTextual()
                    && Integer.parseInt(unavailable.asText().replace("%", "")) > 100) {
                out.add(invalid(base + "maxUnavailable", unavailable, "must not be greater than 100%"));
            }
        }
        long minReady = spec.path("minReadySeconds").asLong(0);
        JsonNode deadline = spec.path("progressDeadlineSeconds");
        if (deadline.isNumber() && deadline.asLong() <= minReady) {
            out.add(invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
        }
        JsonNode history = spec.path("revisionHistoryLimit");
        if (history.isNumber() && history.asLong() < 0) {
            out.add(invalid("spec.revisionHistoryLimit", history, "must be greater than or equal to 0"));
        }
    }

    static boolean intOrPercent(JsonNode v, String field, List<Cause> out) {
        if (v == null || v.isNull()) {
            return true;
        }
        if (v.isTextual() && !PERCENT.matcher(v.asText()).matches()) {
            out.add(invalid(field, v, "a valid percent string must be a numeric string followed by an ending '%' "
                    + "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
            return false;
        }
        if (v.isNumber() && v.asLong() < 0) {
            out.add(invalid(field, v, "must be greater than or equal to 0"));
            return false;
        }
        return true;
    }

    private static boolean zero(JsonNode v) {
        return v == null || v.isNull() || (v.isNumber() && v.asLong() == 0) || (v.isTextual() && v.asText().equals("0%"));
    }

    static Cause invalid(String field, JsonNode value, String msg) {
        return new Cause("FieldValueInvalid", "Invalid value: " + value + ": " + msg, field);
    }
}
