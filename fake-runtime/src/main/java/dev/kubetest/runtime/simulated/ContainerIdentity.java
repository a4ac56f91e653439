package dev.kubetest.runtime.simulated;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The uid and gid a container's processes run as: securityContext runAsUser and runAsGroup, else the image's user
 * ({@code uid[:gid]}; a uid alone is its own group, as the non-root images' /etc/passwd says), else root. A
 * runAsUser without runAsGroup runs in group 0, as the engines do for a uid the image does not know.
 */
record ContainerIdentity(int uid, int gid) {
    static ContainerIdentity of(JsonNode securityContext, String imageUser) {
        String user = imageUser == null ? "" : imageUser;
        String imageUid = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        String imageGid = user.contains(":") ? user.substring(user.indexOf(':') + 1) : imageUid;
        boolean ownUser = securityContext.hasNonNull("runAsUser");
        int uid = ownUser ? securityContext.path("runAsUser").asInt() : number(imageUid);
        int gid = securityContext.hasNonNull("runAsGroup") ? securityContext.path("runAsGroup").asInt()
                : ownUser ? 0 : number(imageGid);
        return new ContainerIdentity(uid, gid);
    }

    private static int number(String id) {
        return id.matches("\\d+") ? Integer.parseInt(id) : 0;
    }
}
