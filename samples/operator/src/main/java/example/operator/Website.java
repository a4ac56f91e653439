package example.operator;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** {@code websites.example.com/v1}: a web server of some replicas serving a page. */
@Group("example.com")
@Version("v1")
public class Website extends CustomResource<Website.Spec, Website.Status> implements Namespaced {

    public static class Spec {
        private String image = "nginx:1.27";
        private int replicas = 1;

        public String getImage() {
            return image;
        }

        public void setImage(String image) {
            this.image = image;
        }

        public int getReplicas() {
            return replicas;
        }

        public void setReplicas(int replicas) {
            this.replicas = replicas;
        }
    }

    public static class Status {
        private int readyReplicas;
        private String url;

        public int getReadyReplicas() {
            return readyReplicas;
        }

        public void setReadyReplicas(int readyReplicas) {
            this.readyReplicas = readyReplicas;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }
    }
}
