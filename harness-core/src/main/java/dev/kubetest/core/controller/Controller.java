package dev.kubetest.core.controller;

/** A control loop of the cluster; each can be switched off per cluster by its name. */
public interface Controller extends AutoCloseable {
    /** The name used to switch it off ({@code KubeCluster.builder().withoutController(name)}). */
    String name();

    void start();

    @Override
    void close();
}
