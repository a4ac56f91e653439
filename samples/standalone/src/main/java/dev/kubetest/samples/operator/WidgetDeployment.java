package dev.kubetest.samples.operator;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The Deployment a Widget owns, applied with server-side apply (JOSDK's default for dependents). */
public class WidgetDeployment extends CRUDKubernetesDependentResource<Deployment, Widget> {
    public WidgetDeployment() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(Widget widget, Context<Widget> context) {
        String name = widget.getMetadata().getName();
        return new DeploymentBuilder()
                .withNewMetadata().withName(name + "-app").withNamespace(widget.getMetadata().getNamespace())
                .addToLabels("app.kubernetes.io/managed-by", "widget-operator").endMetadata()
                .withNewSpec().withReplicas(widget.getSpec().getSize())
                .withNewSelector().addToMatchLabels("widget", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("widget", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(widget.getSpec().getImage()).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }
}
