/** The {@code @KubeTest} JUnit 5 extension. Empty until the extension issue lands. */
package dev.kubetest.junit;
