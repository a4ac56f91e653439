package dev.kubetest.runtime.simulated;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a simulated image runs: a shell (busybox, alpine, ubuntu... run their command as a POSIX shell subset),
 * a server (nginx, redis, postgres... listen on their usual ports and stay up), or anything else (a long-running
 * process that answers on the ports the container declares).
 */
public record ImageProfile(Kind kind, String repository, List<Integer> ports, List<String> defaultCommand) {
    /** The three kinds of simulated program. */
    public enum Kind { SHELL, SERVER, GENERIC }

    private static final Set<String> SHELLS = Set.of("busybox", "alpine", "ubuntu", "debian", "centos", "fedora", "bash",
            "amazonlinux", "rockylinux", "almalinux", "archlinux", "opensuse", "oraclelinux", "python", "node", "curl",
            "curlimages/curl", "bitnami/kubectl", "ruby", "perl", "golang", "openjdk", "eclipse-temurin");
    private static final Map<String, List<Integer>> SERVERS = Map.ofEntries(
            Map.entry("nginx", List.of(80)), Map.entry("nginxinc/nginx-unprivileged", List.of(8080)),
            Map.entry("httpd", List.of(80)), Map.entry("caddy", List.of(80, 443)), Map.entry("traefik", List.of(80, 8080)),
            Map.entry("redis", List.of(6379)), Map.entry("postgres", List.of(5432)), Map.entry("mysql", List.of(3306)),
            Map.entry("mariadb", List.of(3306)), Map.entry("mongo", List.of(27017)), Map.entry("memcached", List.of(11211)),
            Map.entry("rabbitmq", List.of(5672)), Map.entry("echo-basic", List.of()), Map.entry("coredns", List.of(53, 8080, 8181, 9153)),
            Map.entry("kube-proxy", List.of(10249, 10256)), Map.entry("http-echo", List.of()), Map.entry("registry.k8s.io/pause", List.of()),
            Map.entry("k8s.gcr.io/pause", List.of()));

    /** The repository of an image reference, without registry host of Docker Hub, tag or digest. */
    public static String repository(String image) {
        String name = image;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        if (colon > slash) {
            name = name.substring(0, colon);
        }
        for (String prefix : List.of("docker.io/library/", "docker.io/", "index.docker.io/library/", "library/")) {
            if (name.startsWith(prefix)) {
                name = name.substring(prefix.length());
            }
        }
        return name;
    }

    public static ImageProfile of(String image) {
        String repo = repository(image);
        String base = repo.contains("/") && !SERVERS.containsKey(repo) && !SHELLS.contains(repo)
                ? repo.substring(repo.lastIndexOf('/') + 1) : repo;
        if (SERVERS.containsKey(repo) || SERVERS.containsKey(base)) {
            return new ImageProfile(Kind.SERVER, repo, SERVERS.getOrDefault(repo, SERVERS.get(base)), List.of());
        }
        if (SHELLS.contains(repo) || SHELLS.contains(base)) {
            String sh = base.equals("ubuntu") || base.equals("debian") || base.equals("bash") ? "bash" : "sh";
            return new ImageProfile(Kind.SHELL, repo, List.of(), List.of(sh));
        }
        return new ImageProfile(Kind.GENERIC, repo, List.of(), List.of());
    }
}
