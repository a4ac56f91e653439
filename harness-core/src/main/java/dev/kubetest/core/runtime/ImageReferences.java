package dev.kubetest.core.runtime;

/** Image references as container runtimes spell them in full (the distribution reference rules). */
public final class ImageReferences {
    private ImageReferences() {}

    /**
     * The fully qualified name: {@code nginx} is {@code docker.io/library/nginx}, {@code bitnami/redis} is
     * {@code docker.io/bitnami/redis}; a first component with a dot or a port, or {@code localhost}, is a registry
     * and stays ({@code registry.k8s.io/pause:3.10}). Tag and digest are kept.
     */
    public static String normalize(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return "docker.io/library/" + image;
        }
        String first = image.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return image;
        }
        return "docker.io/" + image;
    }

    /** The normalized name without tag or digest ({@code docker.io/library/nginx}). */
    public static String repository(String image) {
        String name = normalize(image);
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }
}
