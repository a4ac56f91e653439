package dev.kubetest.core.meta;

import java.util.List;

/**
 * One resource of the API: its group/version/kind, plural and singular names, scope, short names, verbs,
 * categories and subresources. CRDs add more of these at run time.
 *
 * @param storageKey the key under which the store keeps the objects: {@code plural.group}, shared by every
 *                   version of the same resource
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        boolean namespaced,
        List<String> shortNames,
        List<String> verbs,
        List<String> categories,
        List<String> subresources,
        boolean tracksGeneration,
        boolean builtIn) {

    public static final List<String> STANDARD_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ResourceType {
        shortNames = List.copyOf(shortNames);
        verbs = List.copyOf(verbs);
        categories = List.copyOf(categories);
        subresources = List.copyOf(subresources);
    }

    /** {@code v1} for the core group, {@code group/version} otherwise. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String groupVersion() {
        return apiVersion();
    }

    /** {@code pods} for the core group, {@code deployments.apps} otherwise (as in upstream messages). */
    public String qualifiedResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public String storageKey() {
        return qualifiedResource();
    }

    public String listKind() {
        return kind + "List";
    }

    public boolean hasStatus() {
        return subresources.contains("status");
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }

    public boolean supports(String verb) {
        return verbs.contains(verb);
    }

    /** The URL prefix of this resource's group-version: {@code /api/v1} or {@code /apis/apps/v1}. */
    public String groupVersionPath() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }
}
