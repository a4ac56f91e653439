package example.operator;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The Deployment of a Website's web servers, owned by the Website (so it goes when the Website goes). */
public class WebsiteDeployment extends CRUDKubernetesDependentResource<Deployment, Website> {
    public WebsiteDeployment() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(Website site, Context<Website> context) {
        String name = site.getMetadata().getName();
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(site.getMetadata().getNamespace())
                .addToLabels("app.kubernetes.io/managed-by", "website-operator").endMetadata()
                .withNewSpec().withReplicas(site.getSpec().getReplicas())
                .withNewSelector().addToMatchLabels("website", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("website", name).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(site.getSpec().getImage())
                .addNewPort().withContainerPort(80).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/").withNewPort(80).endHttpGet().endReadinessProbe()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }
}
