package dev.kubetest.runtime.volume;

import dev.kubetest.core.runtime.VolumeDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pod volume as a directory of a {@link java.nio.file.FileSystem}: in a pod's Jimfs filesystem for the simulated
 * runtime, a host folder bind-mounted into containers for the Docker runtime. On a host folder files are written
 * beside their place and renamed into it, so that a container never reads half a file.
 */
public final class PathVolume implements VolumeDir {
    private static final String PARTIAL = ".kubetest-partial-";
    private final Path root;
    private final boolean atomicWrites;

    /** A volume in a Jimfs filesystem (written in place). */
    public PathVolume(Path root) {
        this(root, false);
    }

    public PathVolume(Path root, boolean atomicWrites) {
        this.root = root;
        this.atomicWrites = atomicWrites;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void write(String relativePath, byte[] data, int mode) {
        try {
            Path p = root.resolve(relativePath);
            Files.createDirectories(p.getParent());
            if (atomicWrites) {
                Path partial = Files.createTempFile(p.getParent(), PARTIAL, "");
                Files.write(partial, data);
                Files.setPosixFilePermissions(partial, permissions(mode));
                Files.move(partial, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            Files.write(p, data);
            Files.setPosixFilePermissions(p, permissions(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }

    @Override
    public void clear() {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(root)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes the volume's files hold, from their sizes (nothing is read). */
    @Override
    public long usedBytes() {
        long sum = 0;
        for (String f : files()) {
            try {
                sum += Files.size(root.resolve(f));
            } catch (IOException e) {
                // removed since the walk: it no longer counts
            }
        }
        return sum;
    }

    @Override
    public List<String> files() {
        List<String> out = new ArrayList<>();
        try {
            // files may go while the walk runs (a pod's containers write, the pod is removed): skip what vanished
            Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(PARTIAL)) {
                        out.add(root.relativize(file).toString());
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    @Override
    public Optional<byte[]> read(String relativePath) {
        try {
            Path p = root.resolve(relativePath);
            return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes ready the storage behind a hostPath or a claim at {@code path}: a file or a directory, created when
     * missing if {@code storage.create()}. Returns null, or the type check's failure ("/data is not a directory").
     */
    public static String prepare(Path path, dev.kubetest.core.runtime.ContainerRuntime.PersistentStorage storage,
                                 boolean worldWritable) {
        try {
            if (storage.file()) {
                if (!Files.isRegularFile(path)) {
                    if (!storage.create()) {
                        return storage.path() + " is not a file";
                    }
                    Files.createDirectories(path.getParent());
                    Files.createFile(path);
                }
            } else if (!Files.isDirectory(path)) {
                if (!storage.create()) {
                    return storage.path() + " is not a directory";
                }
                Files.createDirectories(path);
                if (worldWritable) {
                    Files.setPosixFilePermissions(path, EnumSet.allOf(PosixFilePermission.class));
                }
            }
            return null;
        } catch (IOException e) {
            return storage.path() + ": " + e.getMessage();
        }
    }

    /** Deletes a directory tree, quietly: what cannot be deleted is left. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // left for the folder's owner
        }
    }
}
