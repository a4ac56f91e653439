package dev.kubetest.samples.operator;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;

/**
 * A Java Operator SDK 5 reconciler, unmodified from what a user would write: a server-side applied Deployment
 * per Widget, and the Widget's status written through its status subresource.
 */
@ControllerConfiguration(name = "widgetctl")
@Workflow(dependents = @Dependent(type = WidgetDeployment.class))
public class WidgetReconciler implements Reconciler<Widget> {
    @Override
    public UpdateControl<Widget> reconcile(Widget widget, Context<Widget> context) {
        Widget.Status status = new Widget.Status();
        status.setObservedSize(widget.getSpec().getSize());
        status.setMessage("deployment " + widget.getMetadata().getName() + "-app has " + widget.getSpec().getSize()
                + " replicas");
        Widget patch = new Widget();
        patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(widget.getMetadata().getName()).withNamespace(widget.getMetadata().getNamespace()).build());
        patch.setStatus(status);
        return UpdateControl.patchStatus(patch);
    }
}
