package dev.kubetest.samples.operator;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** The sample operator's custom resource: {@code widgets.example.com/v1}, with a status subresource. */
@Group("example.com")
@Version("v1")
public class Widget extends CustomResource<Widget.Spec, Widget.Status> implements Namespaced {
    /** What the user asks for: an image and a size. */
    public static class Spec {
        private String image;
        private int size;

        public String getImage() {
            return image;
        }

        public void setImage(String image) {
            this.image = image;
        }

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }
    }

    /** What the operator reports. */
    public static class Status {
        private int observedSize;
        private String message;

        public int getObservedSize() {
            return observedSize;
        }

        public void setObservedSize(int observedSize) {
            this.observedSize = observedSize;
        }

        public String getMessage() {
            return message;
        }

        public void setMessage(String message) {
            this.message = message;
        }
    }
}
