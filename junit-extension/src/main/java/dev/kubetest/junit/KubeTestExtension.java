package dev.kubetest.junit;

import dev.kubetest.core.meta.ResourceType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
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
        if (settings.lifetime() == KubeTest.Lifetime.PER_CLASS && (own.isPresent() || inherited == null)) {
            store.put(CLASS_CLUSTER, ClusterHandle.start(settings, testClass));
        }
        ClusterHandle handle = store.get(CLASS_CLUSTER, ClusterHandle.class);
        for (Injection.Target t : Injection.fields(testClass)) {
            if (Modifier.isStatic(t.field().getModifiers())) {
                Injection.set(t.field(), null, classValue(t.kind(), handle, t.field().getName()));
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ClusterHandle handle = context.getStore(STATE).remove(CLASS_CLUSTER, ClusterHandle.class);
        if (handle != null) {
            handle.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(STATE);
        KubeTestSettings settings = store.get(SETTINGS, KubeTestSettings.class);
        ClusterHandle handle;
        if (settings.lifetime() == KubeTest.Lifetime.PER_METHOD) {
            handle = ClusterHandle.start(settings, context.getRequiredTestClass());
            store.put(METHOD_CLUSTER, handle);
        } else {
            handle = store.get(CLASS_CLUSTER, ClusterHandle.class);
        }
        String namespace = "default";
        if (settings.isolation() == KubeTest.Isolation.NAMESPACE) {
            namespace = NamespaceNames.of(context.getRequiredTestClass().getSimpleName(),
                    context.getRequiredTestMethod().getName(), UUID.randomUUID().toString().substring(0, 5));
            createNamespace(handle, namespace);
        }
        TestScope scope = new TestScope(handle, namespace);
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
                    deleteNamespace(scope.handle(), scope.namespace());
                }
                scope.close();
            }
        } finally {
            ClusterHandle perMethod = store.remove(METHOD_CLUSTER, ClusterHandle.class);
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
                String dump = NamespaceDump.of(scope.handle().cluster(), scope.namespace());
                throwable.addSuppressed(new KubeTestReport(dump));
                context.publishReportEntry("kubetest.dump", dump);
            } catch (RuntimeException e) {
                throwable.addSuppressed(new KubeTestReport("KubeTest could not dump namespace " + scope.namespace() + ": " + e));
            }
        }
        throw throwable;
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
        ClusterHandle handle = store.get(CLASS_CLUSTER, ClusterHandle.class);
        if (handle == null) {
            throw new ParameterResolutionException("parameter " + parameter.getParameter().getName() + " of "
                    + parameter.getDeclaringExecutable().getName() + " asks for the class's cluster, but each test gets its own "
                    + "(lifetime PER_METHOD); ask for it in a test or @BeforeEach method instead");
        }
        return classValue(kind, handle, parameter.getParameter().getName());
    }

    private static Object classValue(Injection.Kind kind, ClusterHandle handle, String name) {
        return switch (kind) {
            case CLUSTER -> handle.cluster();
            case CLIENT -> handle.client();
            case API_CLIENT -> ClientJavaSupport.apiClient(handle.server().kubeconfig());
            case KUBECONFIG, NAMESPACE -> throw new ParameterResolutionException(name
                    + " asks for the test's namespace or kubeconfig outside a test; ask for it in a test or @BeforeEach method");
        };
    }

    private static Object testValue(Injection.Kind kind, TestScope scope) {
        return switch (kind) {
            case CLUSTER -> scope.handle().cluster();
            case CLIENT -> scope.client();
            case API_CLIENT -> scope.apiClient();
            case KUBECONFIG -> scope.kubeconfig();
            case NAMESPACE -> scope.namespace();
        };
    }

    /** Creates the test's namespace and waits for its default ServiceAccount, as pods need it. */
    private static void createNamespace(ClusterHandle handle, String name) {
        var api = handle.cluster().api();
        ResourceType namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();
        ResourceType accounts = api.registry().find("", "v1", "serviceaccounts").orElseThrow();
        var ns = dev.kubetest.core.json.Json.object();
        ns.put("apiVersion", "v1").put("kind", "Namespace").putObject("metadata").put("name", name)
                .putObject("labels").put("kubetest.dev/test-namespace", "true");
        api.create(namespaces, null, ns, dev.kubetest.core.meta.WriteOptions.manager("kubetest"));
        Awaitility.await("the default ServiceAccount of namespace " + name).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(2)).pollDelay(Duration.ZERO)
                .until(() -> api.find(accounts, name, "default").isPresent());
    }

    private static void deleteNamespace(ClusterHandle handle, String name) {
        var api = handle.cluster().api();
        ResourceType namespaces = api.registry().find("", "v1", "namespaces").orElseThrow();
        api.deleteIfPresent(namespaces, null, name, dev.kubetest.core.meta.DeleteOptions.defaults());
    }
}
