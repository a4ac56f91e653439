package dev.kubetest.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class RequiredFieldsFileTest {
    @Test
    void theFileIsWhatClientJavaModelsGive() throws Exception {
        String generated = RequiredFieldsFile.generate();
        if (Boolean.getBoolean("kubetest.schema.write")) {
            Files.writeString(RequiredFieldsFile.SOURCE, generated);
        }
        assertThat(Files.readString(RequiredFieldsFile.SOURCE))
                .as("required-fields.txt is stale: run mvn -pl harness-core test -Dtest=RequiredFieldsFileTest -Dkubetest.schema.write=true")
                .isEqualTo(generated);
    }

    @Test
    void theFieldsStrictClientsNeedAreRequired() {
        String rs = "io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus";
        String ds = "io.fabric8.kubernetes.api.model.apps.DaemonSetStatus";
        String hpa = "io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscalerStatus";
        RequiredFields r = RequiredFields.get();
        assertThat(r.of(new ModelType(rs))).containsExactly("replicas");
        assertThat(r.of(new ModelType(ds))).containsExactlyInAnyOrder("currentNumberScheduled", "desiredNumberScheduled",
                "numberMisscheduled", "numberReady");
        assertThat(r.of(new ModelType(hpa))).containsExactlyInAnyOrder("currentReplicas", "desiredReplicas");
    }
}
