/**
 * Container runtimes behind the kubelet's {@code ContainerRuntime} SPI: simulated containers on Jimfs, and later
 * real containers through docker-java. Empty until the pod lifecycle issue lands.
 */
package dev.kubetest.runtime;
