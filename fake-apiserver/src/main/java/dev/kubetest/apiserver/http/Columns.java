package dev.kubetest.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.apiserver.table.Column;
import dev.kubetest.apiserver.table.CustomColumns;
import dev.kubetest.apiserver.table.TablePrinters;
import dev.kubetest.core.api.KubeApi;
import dev.kubetest.core.meta.ResourceType;
import java.util.List;

/** The Table columns of a resource: upstream's for built-in kinds, the CRD's printer columns for custom ones. */
final class Columns {
    private Columns() {}

    static List<Column> of(KubeApi api, ResourceType type) {
        if (type.builtIn()) {
            return TablePrinters.columns(type);
        }
        JsonNode crd = api.registry().find("apiextensions.k8s.io", "v1", "customresourcedefinitions")
                .flatMap(crds -> api.find(crds, null, type.plural() + "." + type.group())).orElse(null);
        if (crd != null) {
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("name").asText().equals(type.version())) {
                    return CustomColumns.of(v);
                }
            }
        }
        return CustomColumns.of(null);
    }
}
