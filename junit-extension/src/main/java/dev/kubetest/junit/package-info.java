/**
 * The {@code @KubeTest} JUnit 5 extension: an in-process cluster per test class (or method), injected into fields
 * and parameters with the clients pointed at it, a fresh namespace per test.
 */
package dev.kubetest.junit;
