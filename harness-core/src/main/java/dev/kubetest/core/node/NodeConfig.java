package dev.kubetest.core.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated node: name, capacity (allocatable is the same), labels and taints.
 *
 * @param taints each as {@code key=value:Effect} or {@code key:Effect}
 */
public record NodeConfig(String name, String cpu, String memory, int pods, String ephemeralStorage,
                         Map<String, String> labels, List<String> taints) {

    public NodeConfig {
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
    }

    /** A node of 4 CPUs, 16 GiB of memory and 110 pods, as the default nodes are. */
    public static NodeConfig named(String name) {
        return new NodeConfig(name, "4", "16Gi", 110, "100Gi", Map.of(), List.of());
    }

    public NodeConfig withCpu(String cpu) {
        return new NodeConfig(name, cpu, memory, pods, ephemeralStorage, labels, taints);
    }

    public NodeConfig withMemory(String memory) {
        return new NodeConfig(name, cpu, memory, pods, ephemeralStorage, labels, taints);
    }

    public NodeConfig withPods(int pods) {
        return new NodeConfig(name, cpu, memory, pods, ephemeralStorage, labels, taints);
    }

    public NodeConfig withLabel(String key, String value) {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put(key, value);
        return new NodeConfig(name, cpu, memory, pods, ephemeralStorage, l, taints);
    }

    public NodeConfig withTaint(String taint) {
        List<String> t = new java.util.ArrayList<>(taints);
        t.add(taint);
        return new NodeConfig(name, cpu, memory, pods, ephemeralStorage, labels, t);
    }
}
