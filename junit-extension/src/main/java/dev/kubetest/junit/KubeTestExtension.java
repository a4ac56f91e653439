package dev.kubetest.junit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link KubeTest}. State lives in the ExtensionContext store, never in static fields, so test
 * classes run in parallel with a cluster each. Per class: the settings and (unless each test gets its own) the
 * cluster; per test: its namespace and clients. {@code @Nested} classes share the enclosing class's cluster unless
 * they carry their own {@code @KubeTest}.
 */
public final class KubeTestExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace STATE = ExtensionContext.Namespace.create(KubeTestExtension.class);
    private static final String SETTINGS = "settings";
    private static final String CLASS_CLUSTER = "class-cluster";
    private static final String METHOD_CLUSTER = "method-cluster";
    private static final String SCOPE = "scope";
    private static final String EXISTING = "existing-kubeconfig";

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        ExtensionContext.Store store = context.getStore(STATE);
        Optional<KubeTest> own = AnnotationSupport.findAnnotation(testClass, KubeTest.class);
        KubeTestSettings inherited = store.get(SETTINGS, KubeTestSettings.class);
        KubeTestSettings settings;
        if (own.isEmpty() && inherited != null) {
            settings = inherited; // a @Nested class: the enclosing class's cluster
        } else {
            KubeTest annotation = own.orElseThrow(() -> new ExtensionConfigurationException(testClass.getName()
                    + " uses KubeTestExtension without @KubeTest; annotate the class with @KubeTest instead of @ExtendWith"));
            settings = KubeTestSettings.resolve(testClass, annotation, context::getConfigurationParameter);
            store.put(SETTINGS, settings);
        }
        Injection.check(testClass, settings);
        Optional<java.nio.file.Path> existing = ExistingCluster.configured(context::getConfigurationParameter);
        if (existing.isPresent()) {
            store.put(EXISTING, existing.get());
            // what needs the simulation cannot run against an existing cluster
            Injection.fields(testClass).stream().filter(t -> t.kind() == Injection.Kind.CLUSTER).findFirst().ifPresent(t -> {
                throw new org.opentest4j.TestAbortedException(NEEDS_SIMULATION + " (" + Injection.describe(t.field()) + ")");
            });
        }
        if (existing.isPresent() && settings.isolation() == KubeTest.Isolation.SNAPSHOT) {
            throw new org.opentest4j.TestAbortedException(NEEDS_SIMULATION + " (isolation SNAPSHOT)");
        }
        if (settings.lifetime() == KubeTest.Lifetime.PER_CLASS && (own.isPresent() || inherited == null)) {
            store.put(CLASS_CLUSTER, start(settings, testClass, existing));
        }
        ClusterTarget handle = store.get(CLASS_CLUSTER, ClusterTarget.class);
        for (Injection.Target t : Injection.fields(testClass)) {
            if (Modifier.isStatic(t.field().getModifiers())) {
                Injection.set(t.field(), null, classValue(t.kind(), handle, t.field().getName()));
            }
        }
    }

    /** Why a test that needs the in-process cluster is skipped against an existing one. */
    static final String NEEDS_SIMULATION = "needs KubeTest's in-process cluster (KubeCluster: time control, fault "
            + "injection, container files), which an existing cluster (kubetest.cluster=kubeconfig) does not have";

    private static ClusterTarget start(KubeTestSettings settings, Class<?> testClass, Optional<java.nio.file.Path> existing) {
        return existing.<ClusterTarget>map(path -> ExistingCluster.open(path, testClass, settings.manifests()))
                .orElseGet(() -> ClusterHandle.start(settings, testClass));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ClusterTarget handle = context.getStore(STATE).remove(CLASS_CLUSTER, ClusterTarget.class);
        if (handle != null) {
            handle.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(STATE);
        KubeTestSettings settings = store.get(SETTINGS, KubeTestSettings.class);
        java.nio.file.Path existing = store.get(EXISTING, java.nio.file.Path.class);
        if (existing != null) {
            for (Class<?> type : context.getRequiredTestMethod().getParameterTypes()) {
                if (type == dev.kubetest.core.KubeCluster.class) {
                    throw new org.opentest4j.TestAbortedException(NEEDS_SIMULATION + " (a KubeCluster parameter)");
                }
            }
        }
        ClusterTarget handle;
        if (settings.lifetime() == KubeTest.Lifetime.PER_METHOD) {
            handle = start(settings, context.getRequiredTestClass(), Optional.ofNullable(existing));
            store.put(METHOD_CLUSTER, handle);
        } else {
            handle = store.get(CLASS_CLUSTER, ClusterTarget.class);
        }
        String namespace = "default";
        if (settings.isolation() == KubeTest.Isolation.SNAPSHOT && handle instanceof ClusterHandle simulated) {
            simulated.snapshotOnce();
        }
        if (settings.isolation() == KubeTest.Isolation.NAMESPACE) {
            namespace = NamespaceNames.of(context.getRequiredTestClass().getSimpleName(),
                    context.getRequiredTestMethod().getName(), UUID.randomUUID().toString().substring(0, 5));
            handle.createNamespace(namespace);
        }
        TestScope scope = new TestScope(handle, namespace);
        scope.record();
        store.put(SCOPE, scope);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Injection.Target t : Injection.fields(instance.getClass())) {
                Field f = t.field();
                if (!Modifier.isStatic(f.getModifiers())) {
                    Injection.set(f, instance, testValue(t.kind(), scope));
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(STATE);
        TestScope scope = store.remove(SCOPE, TestScope.class);
        try {
            if (scope != null) {
                boolean failed = context.getExecutionException().isPresent();
                if (failed) {
                    context.publishReportEntry("kubetest.namespace", scope.namespace()
                            + " (kept for inspection: the test failed)");
                } else if (!"default".equals(scope.namespace())) {
                    scope.handle().deleteNamespace(scope.namespace());
                }
                scope.close();
                if (store.get(SETTINGS, KubeTestSettings.class).isolation() == KubeTest.Isolation.SNAPSHOT
                        && scope.handle() instanceof ClusterHandle simulated) {
                    simulated.restoreBaseline();
                }
            }
        } finally {
            ClusterTarget perMethod = store.remove(METHOD_CLUSTER, ClusterTarget.class);
            if (perMethod != null) {
                perMethod.close();
            }
        }
    }

    /** A failed test's exception gets the dump of its namespace (also published as report entry kubetest.dump). */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        TestScope scope = context.getStore(STATE).get(SCOPE, TestScope.class);
        if (scope != null && !(throwable instanceof org.opentest4j.TestAbortedException)) {
            try {
                String dump = scope.handle().dump(scope.namespace());
                java.nio.file.Path timeline = writeTimeline(context, scope);
                if (timeline != null) {
                    dump = dump + "\nTimeline: " + timeline + "\n";
                }
                throwable.addSuppressed(new KubeTestReport(dump));
                context.publishReportEntry("kubetest.dump", dump);
            } catch (RuntimeException e) {
                throwable.addSuppressed(new KubeTestReport("KubeTest could not dump namespace " + scope.namespace() + ": " + e));
            }
        }
        throw throwable;
    }

    /**
     * Writes the failed test's timeline page under {@code target/kubetest-reports/} (or the kubetest.reports.dir
     * configuration parameter) and publishes it where JUnit can; its path, or null without a recording.
     */
    private static java.nio.file.Path writeTimeline(ExtensionContext context, TestScope scope) {
        TimelineRecorder recorder = scope.recorder();
        if (recorder == null) {
            return null;
        }
        String test = context.getRequiredTestClass().getName() + "." + context.getRequiredTestMethod().getName();
        var timeline = Timeline.of(test, scope.namespace(), recorder.start(), recorder.now(), recorder.entries());
        java.nio.file.Path dir = java.nio.file.Path.of(context.getConfigurationParameter(KubeTestSettings.PREFIX + "reports.dir")
                .orElse("target/kubetest-reports")).toAbsolutePath().resolve(context.getRequiredTestClass().getName());
        java.nio.file.Path file = dir.resolve(NamespaceNames.label(context.getRequiredTestMethod().getName()) + "-"
                + UUID.randomUUID().toString().substring(0, 5) + ".html");
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(file, TimelinePage.render(timeline));
        } catch (java.io.IOException e) {
            return null;
        }
        if (FilePublisher.available()) {
            try {
                FilePublisher.publish(context, file);
            } catch (RuntimeException e) {
                // publishing is a convenience: the file is written and named in the failure
            }
        }
        return file;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return Injection.kindOf(parameter.getParameter().getType(), parameter.getParameter(),
                "parameter " + parameter.getParameter().getName()).isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Injection.Kind kind = Injection.kindOf(parameter.getParameter().getType(), parameter.getParameter(),
                "parameter " + parameter.getParameter().getName()).orElseThrow();
        ExtensionContext.Store store = context.getStore(STATE);
        TestScope scope = store.get(SCOPE, TestScope.class);
        if (scope != null && context.getTestMethod().isPresent()) {
            return testValue(kind, scope);
        }
        ClusterTarget handle = store.get(CLASS_CLUSTER, ClusterTarget.class);
        if (handle == null) {
            throw new ParameterResolutionException("parameter " + parameter.getParameter().getName() + " of "
                    + parameter.getDeclaringExecutable().getName() + " asks for the class's cluster, but each test gets its own "
                    + "(lifetime PER_METHOD); ask for it in a test or @BeforeEach method instead");
        }
        return classValue(kind, handle, parameter.getParameter().getName());
    }

    private static Object classValue(Injection.Kind kind, ClusterTarget handle, String name) {
        return switch (kind) {
            case CLUSTER -> handle.cluster().orElseThrow(() -> new org.opentest4j.TestAbortedException(NEEDS_SIMULATION));
            case CLIENT -> handle.client();
            case API_CLIENT -> ClientJavaSupport.apiClient(handle.kubeconfig("default"));
            case KUBECONFIG, NAMESPACE -> throw new ParameterResolutionException(name
                    + " asks for the test's namespace or kubeconfig outside a test; ask for it in a test or @BeforeEach method");
        };
    }

    private static Object testValue(Injection.Kind kind, TestScope scope) {
        return switch (kind) {
            case CLUSTER -> scope.handle().cluster().orElseThrow(() -> new org.opentest4j.TestAbortedException(NEEDS_SIMULATION));
            case CLIENT -> scope.client();
            case API_CLIENT -> scope.apiClient();
            case KUBECONFIG -> scope.kubeconfig();
            case NAMESPACE -> scope.namespace();
        };
    }
}
