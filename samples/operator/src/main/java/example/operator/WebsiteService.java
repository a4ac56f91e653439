package example.operator;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The Service in front of a Website's web servers, owned by the Website. */
public class WebsiteService extends CRUDKubernetesDependentResource<Service, Website> {
    public WebsiteService() {
        super(Service.class);
    }

    @Override
    protected Service desired(Website site, Context<Website> context) {
        String name = site.getMetadata().getName();
        return new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(site.getMetadata().getNamespace())
                .addToLabels("app.kubernetes.io/managed-by", "website-operator").endMetadata()
                .withNewSpec().addToSelector("website", name)
                .addNewPort().withName("http").withPort(80).withNewTargetPort(80).endPort().endSpec().build();
    }
}
