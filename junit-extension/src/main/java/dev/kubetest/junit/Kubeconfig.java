package dev.kubetest.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code java.nio.file.Path} field or parameter to receive a kubeconfig file for the test's cluster (its
 * context's namespace is the test's namespace), so a test can run kubectl, helm or any other tool against it.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Kubeconfig {}
