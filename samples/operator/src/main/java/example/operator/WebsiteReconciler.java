package example.operator;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;

/**
 * Reconciles a Website into a Deployment and a Service (dependents JOSDK applies with server-side apply and owns),
 * and writes back how many web servers are ready and where the site is.
 */
@ControllerConfiguration(name = "website-operator")
@Workflow(dependents = {@Dependent(type = WebsiteDeployment.class), @Dependent(type = WebsiteService.class)})
public class WebsiteReconciler implements Reconciler<Website> {
    @Override
    public UpdateControl<Website> reconcile(Website site, Context<Website> context) {
        int ready = context.getSecondaryResource(Deployment.class)
                .map(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas())
                .orElse(0);
        Website.Status status = new Website.Status();
        status.setReadyReplicas(ready);
        status.setUrl("http://" + site.getMetadata().getName() + "." + site.getMetadata().getNamespace() + ".svc.cluster.local/");
        Website patch = new Website();
        patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(site.getMetadata().getName()).withNamespace(site.getMetadata().getNamespace()).build());
        patch.setStatus(status);
        return UpdateControl.patchStatus(patch);
    }
}
