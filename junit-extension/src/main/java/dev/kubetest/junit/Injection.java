package dev.kubetest.junit;

import dev.kubetest.core.KubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What the extension injects and where: the kinds of value, how a field or parameter asks for one, and the checks
 * that turn misuse into an {@link ExtensionConfigurationException} naming the element and the fix.
 */
final class Injection {
    enum Kind {
        CLUSTER, CLIENT, API_CLIENT, KUBECONFIG, NAMESPACE;

        /** Whether the value differs from one test to the next (and so cannot live in a static field). */
        boolean perTest() {
            return this == KUBECONFIG || this == NAMESPACE;
        }
    }

    private Injection() {}

    /** The kind a field or parameter of {@code type} asks for, if any; a marker on the wrong type is misuse. */
    static Optional<Kind> kindOf(Class<?> type, AnnotatedElement element, String describe) {
        boolean kubeconfig = element.isAnnotationPresent(Kubeconfig.class);
        boolean namespace = element.isAnnotationPresent(TestNamespace.class);
        if (kubeconfig && namespace) {
            throw new ExtensionConfigurationException(describe + " is marked both @Kubeconfig and @TestNamespace; keep one");
        }
        if (kubeconfig) {
            if (type != Path.class) {
                throw new ExtensionConfigurationException(describe + " is marked @Kubeconfig but is a " + type.getName()
                        + "; declare it as java.nio.file.Path (read it with Files.readString for the YAML)");
            }
            return Optional.of(Kind.KUBECONFIG);
        }
        if (namespace) {
            if (type != String.class) {
                throw new ExtensionConfigurationException(describe + " is marked @TestNamespace but is a " + type.getName()
                        + "; declare it as String");
            }
            return Optional.of(Kind.NAMESPACE);
        }
        if (type == KubeCluster.class) {
            return Optional.of(Kind.CLUSTER);
        }
        if (type == KubernetesClient.class) {
            return Optional.of(Kind.CLIENT);
        }
        if (type.getName().equals(ClientJavaSupport.API_CLIENT)) {
            return Optional.of(Kind.API_CLIENT);
        }
        return Optional.empty();
    }

    record Target(Field field, Kind kind) {}

    /** The fields of {@code testClass} (and its superclasses) the extension sets. */
    static List<Target> fields(Class<?> testClass) {
        List<Target> out = new ArrayList<>();
        for (Field f : ReflectionSupport.findFields(testClass, f -> true, HierarchyTraversalMode.TOP_DOWN)) {
            kindOf(f.getType(), f, describe(f)).ifPresent(k -> out.add(new Target(f, k)));
        }
        return out;
    }

    /** Every misuse in a test class, found before any test runs. */
    static void check(Class<?> testClass, KubeTestSettings settings) {
        List<Target> targets = fields(testClass);
        Field staticCluster = null;
        Field instanceCluster = null;
        for (Target t : targets) {
            Field f = t.field();
            boolean isStatic = Modifier.isStatic(f.getModifiers());
            if (Modifier.isFinal(f.getModifiers())) {
                throw new ExtensionConfigurationException(describe(f) + " is final, so KubeTest cannot set it; remove final");
            }
            if (isStatic && t.kind().perTest()) {
                throw new ExtensionConfigurationException(describe(f) + " is static, but the " + (t.kind() == Injection.Kind.NAMESPACE
                        ? "namespace" : "kubeconfig") + " changes with every test; make it an instance field");
            }
            if (isStatic && settings.lifetime() == KubeTest.Lifetime.PER_METHOD) {
                throw new ExtensionConfigurationException(describe(f) + " is static, but each test gets its own cluster "
                        + "(lifetime PER_METHOD / isolation CLUSTER); make it an instance field");
            }
            if (t.kind() == Injection.Kind.CLUSTER) {
                if (isStatic) {
                    staticCluster = f;
                } else {
                    instanceCluster = f;
                }
            }
        }
        if (staticCluster != null && instanceCluster != null) {
            throw new ExtensionConfigurationException(testClass.getName() + " declares the cluster both in static field "
                    + staticCluster.getName() + " and in instance field " + instanceCluster.getName()
                    + "; one cluster serves the class, so keep only one of them");
        }
        for (Executable e : executables(testClass)) {
            for (Parameter p : e.getParameters()) {
                kindOf(p.getType(), p, "parameter " + p.getName() + " of " + e.getDeclaringClass().getSimpleName() + "."
                        + (e instanceof java.lang.reflect.Constructor ? "<init>" : e.getName()));
            }
        }
    }

    private static List<Executable> executables(Class<?> testClass) {
        List<Executable> out = new ArrayList<>(ReflectionSupport.findMethods(testClass, m -> true, HierarchyTraversalMode.TOP_DOWN));
        out.addAll(List.of(testClass.getDeclaredConstructors()));
        return out;
    }

    static String describe(Field f) {
        return (Modifier.isStatic(f.getModifiers()) ? "static field " : "field ") + f.getName() + " of "
                + f.getDeclaringClass().getName();
    }

    static void set(Field f, Object target, Object value) {
        try {
            f.setAccessible(true);
            f.set(target, value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("KubeTest cannot set " + describe(f) + ": " + e, e);
        }
    }
}
