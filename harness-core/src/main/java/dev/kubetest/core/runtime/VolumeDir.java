package dev.kubetest.core.runtime;

import java.util.List;
import java.util.Optional;

/** A pod volume's directory in the runtime: the kubelet fills configMap, secret and downwardAPI volumes. */
public interface VolumeDir {
    /** Writes a file (creating parent directories) with the given permission bits. */
    void write(String relativePath, byte[] data, int mode);

    /** Removes every file, keeping the directory. */
    void clear();

    /** Paths of the files, relative to the volume, in order. */
    List<String> files();

    Optional<byte[]> read(String relativePath);

    /** Bytes used by the volume's files. */
    default long usedBytes() {
        long sum = 0;
        for (String f : files()) {
            sum += read(f).map(b -> (long) b.length).orElse(0L);
        }
        return sum;
    }
}
