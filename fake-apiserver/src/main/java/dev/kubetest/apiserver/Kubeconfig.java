package dev.kubetest.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Writes a kubeconfig: one cluster (server, CA data), one user (a token), one context, current-context. */
public final class Kubeconfig {
    private Kubeconfig() {}

    public static String yaml(String server, String caPem, String token) {
        return yaml(server, caPem, token, "default");
    }

    /** The same, with the context's default namespace. */
    public static String yaml(String server, String caPem, String token, String namespace) {
        StringBuilder sb = new StringBuilder();
        sb.append("apiVersion: v1\nkind: Config\nclusters:\n- name: kubetest\n  cluster:\n    server: ").append(server).append('\n');
        if (caPem != null) {
            sb.append("    certificate-authority-data: ")
                    .append(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII))).append('\n');
        }
        sb.append("users:\n- name: kubetest-admin\n  user:\n    token: ").append(token).append('\n');
        sb.append("contexts:\n- name: kubetest\n  context:\n    cluster: kubetest\n    user: kubetest-admin\n    namespace: ").append(namespace).append("\n");
        sb.append("current-context: kubetest\npreferences: {}\n");
        return sb.toString();
    }

    public static Path write(Path file, String yaml) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kubeconfig " + file, e);
        }
    }
}
