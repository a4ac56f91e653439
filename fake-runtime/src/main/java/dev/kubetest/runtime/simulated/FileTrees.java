package dev.kubetest.runtime.simulated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies of in-memory file trees, for cluster snapshots: every directory and file under a root (a file's bytes, a
 * directory as null), and putting such a copy back in place of whatever the tree holds now.
 */
final class FileTrees {
    private FileTrees() {}

    /** Relative path to bytes (null for a directory), in walk order so parents come first. */
    static Map<String, byte[]> copy(Path root) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.toList()) {
                String rel = root.relativize(p).toString();
                out.put(rel, Files.isDirectory(p) ? null : Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Makes the tree under {@code root} exactly {@code copy}: what is not in it goes, what is comes back. */
    static void restore(Path root, Map<String, byte[]> copy) {
        try {
            if (Files.exists(root)) {
                try (Stream<Path> tree = Files.walk(root)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        if (!p.equals(root) && !copy.containsKey(root.relativize(p).toString())) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(root);
            for (Map.Entry<String, byte[]> e : copy.entrySet()) {
                Path p = e.getKey().isEmpty() ? root : root.resolve(e.getKey());
                if (e.getValue() == null) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    Files.write(p, e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
