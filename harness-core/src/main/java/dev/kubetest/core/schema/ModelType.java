package dev.kubetest.core.schema;

/**
 * A type of the built-in kinds' structure, named by its fabric8 model class ({@code
 * io.fabric8.kubernetes.api.model.PodSpec}); the class itself is never loaded for it.
 */
public record ModelType(String className) {
    public String simpleName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    public String packageName() {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    // written out: a record's generated equals/hashCode are bootstrapped through method handles on first call,
    // which a fresh JVM pays for on its first boot's first write
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelType t && t.className.equals(className);
    }

    @Override
    public int hashCode() {
        return className.hashCode();
    }

    @Override
    public String toString() {
        return className;
    }
}
