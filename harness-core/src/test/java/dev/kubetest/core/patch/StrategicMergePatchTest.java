package dev.kubetest.core.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubetest.core.json.Json;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strategic merge patch cases, each: kind, original, patch, expected result (JSON with single quotes). */
class StrategicMergePatchTest {
    private static JsonNode json(String s) {
        return Json.parse(s.replace('\'', '"'));
    }

    private static dev.kubetest.core.schema.ModelType type(String kind) {
        Class<?> model = switch (kind) {
            case "Deployment" -> Deployment.class;
            case "Service" -> Service.class;
            default -> PodDisruptionBudget.class;
        };
        return new dev.kubetest.core.schema.ModelType(model.getName());
    }

    @ParameterizedTest(name = "{0}: {4}")
    @CsvSource(delimiter = '|', value = {
            "Deployment|{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}}}"
                    + "|{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'z'}]}}}}"
                    + "|{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'z'}]}}}}"
                    + "|containers merge by name",
            "Deployment|{'spec':{'template':{'spec':{'containers':[{'name':'a','volumeMounts':[{'name':'v','mountPath':'/a'}]}]}}}}"
                    + "|{'spec':{'template':{'spec':{'containers':[{'name':'a','volumeMounts':[{'name':'v','mountPath':'/b'}]}]}}}}"
                    + "|{'spec':{'template':{'spec':{'containers':[{'name':'a','volumeMounts':[{'name':'v','mountPath':'/a'},{'name':'v','mountPath':'/b'}]}]}}}}"
                    + "|volumeMounts merge by mountPath",
            "Deployment|{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}}}"
                    + "|{'spec':{'template':{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}}}"
                    + "|{'spec':{'template':{'spec':{'containers':[{'name':'b'}]}}}}"
                    + "|$patch delete removes an entry",
            "Deployment|{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}}}"
                    + "|{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],'containers':[{'name':'a','image':'i'}]}}}}"
                    + "|{'spec':{'template':{'spec':{'containers':[{'name':'b'},{'name':'a','image':'i'}]}}}}"
                    + "|$setElementOrder orders the result",
            "Deployment|{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}"
                    + "|{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}"
                    + "|{'spec':{'strategy':{'type':'Recreate'}}}"
                    + "|$retainKeys drops the old rollingUpdate",
            "Deployment|{'metadata':{'finalizers':['a','b']}}"
                    + "|{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}"
                    + "|{'metadata':{'finalizers':['b']}}"
                    + "|$deleteFromPrimitiveList",
            "Deployment|{'metadata':{'finalizers':['a']}}"
                    + "|{'metadata':{'finalizers':['b']}}"
                    + "|{'metadata':{'finalizers':['a','b']}}"
                    + "|finalizers form a union",
            "Deployment|{'spec':{'template':{'spec':{'containers':[{'name':'a','args':['1','2']}]}}}}"
                    + "|{'spec':{'template':{'spec':{'containers':[{'name':'a','args':['3']}]}}}}"
                    + "|{'spec':{'template':{'spec':{'containers':[{'name':'a','args':['3']}]}}}}"
                    + "|atomic lists are replaced",
            "Service|{'spec':{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https'}]}}"
                    + "|{'spec':{'ports':[{'port':443,'targetPort':8443}]}}"
                    + "|{'spec':{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https','targetPort':8443}]}}"
                    + "|service ports merge by port",
            "PodDisruptionBudget|{'spec':{'selector':{'matchLabels':{'a':'1'}}}}"
                    + "|{'spec':{'selector':{'matchLabels':{'b':'2'}}}}"
                    + "|{'spec':{'selector':{'matchLabels':{'b':'2'}}}}"
                    + "|a PDB selector is replaced whole",
            "Deployment|{'metadata':{'labels':{'a':'1','b':'2'}}}"
                    + "|{'metadata':{'labels':{'a':null,'c':'3'}}}"
                    + "|{'metadata':{'labels':{'b':'2','c':'3'}}}"
                    + "|maps merge key by key"})
    void mergesAsUpstream(String kind, String original, String patch, String expected, String why) {
        assertThat(StrategicMergePatch.apply(json(original), json(patch), type(kind))).isEqualTo(json(expected));
    }
}
