package dev.kubetest.core.runtime;

import java.time.Duration;
import java.util.List;

/**
 * What the kubelet needs from a container runtime: images, containers as processes, exec, probes' network
 * checks and logs. The simulated runtime and the Docker runtime implement it; the kubelet is written once
 * against it.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Whether {@code image} can be run; when not, the kubelet reports ErrImagePull with {@link #pullError}. */
    boolean canPull(String image);

    default String pullError(String image) {
        return "failed to pull and unpack image \"" + image + "\": not found";
    }

    /**
     * The user a pulled image runs as when the pod names none (its {@code USER}: {@code "uid[:gid]"} or a name;
     * empty for root), which the kubelet checks against {@code runAsNonRoot}.
     */
    default String imageUser(String image) {
        return "";
    }

    /**
     * Sets up a pod's sandbox (the network namespace its containers share) before any of its containers is created,
     * and returns the pod's IP: the address the kubelet proposed from the node's pod CIDR when the runtime could give
     * the pod that address, else the one it got. The sandbox goes with the pod's volumes ({@link #removeVolumes}).
     */
    default String sandbox(PodSandbox pod) {
        return pod.proposedIp();
    }

    /** A pod about to get its sandbox: its names, its hostname, and the IP the kubelet proposes. */
    record PodSandbox(String namespace, String name, String uid, String hostname, String proposedIp, boolean hostNetwork) {}

    /** Creates (but does not start) a container. */
    ContainerProcess create(ContainerSpec spec);

    /**
     * Runs {@code command} in the container with no input, as probes and hooks do; {@code done} gets the exit code
     * and the output as text ({@code timeout} may be null).
     */
    void exec(ContainerProcess container, List<String> command, Duration timeout,
              java.util.function.Consumer<ExecResult> done);

    /**
     * Runs {@code command} with its streams connected to a client, as {@code kubectl exec} does: output goes to
     * {@code listener} as it is written; with {@code stdin}, what the client types arrives through the returned
     * {@link ExecStream}; with {@code tty}, the process sees a terminal (stderr joins stdout, the terminal echoes).
     */
    ExecStream execStream(ContainerProcess container, List<String> command, boolean stdin, boolean tty, ExecListener listener);

    /**
     * Connects a client to the container's main process, as {@code kubectl attach} does: output from now on goes
     * to {@code listener}, and with {@code stdin} (and the container's {@code stdin: true}) what the client types
     * reaches the process. {@code exited} is called when the container ends.
     */
    ExecStream attach(ContainerProcess container, boolean stdin, boolean tty, ExecListener listener);

    /** Where the output of a streamed exec goes, as bytes. */
    interface ExecListener {
        void stdout(byte[] data);

        void stderr(byte[] data);

        void exited(int exitCode);
    }

    /** The client's end of a streamed exec or attach. */
    interface ExecStream {
        /** Bytes the client typed or piped (stdin). */
        void write(byte[] data);

        /** The client closed stdin (end of file). */
        void closeInput();

        /** The client's terminal changed size. */
        default void resize(int width, int height) {}

        /** The client went away: an exec'd process is stopped, an attach is detached. */
        void cancel();
    }

    /** Whether something in the container listens on {@code port} (tcpSocket probes). */
    boolean listening(ContainerProcess container, int port);

    /** What a GET of {@code path} on {@code port} answers (httpGet probes and hooks), or null when nothing listens. */
    HttpAnswer httpGet(ContainerProcess container, int port, String path);

    /** An HTTP answer: the status, the Location header of a redirect (else null), and the body. */
    record HttpAnswer(int status, String location, String body) {}

    /**
     * Opens a byte stream to {@code port} inside the container, as port-forward does: bytes written go to what
     * listens there, its answers come back through {@code fromContainer}. Null when nothing listens on the port.
     */
    PortStream connect(ContainerProcess container, int port, java.util.function.Consumer<byte[]> fromContainer);

    /** One connection opened by {@link #connect}. */
    interface PortStream {
        void write(byte[] data);

        void close();
    }

    /** The directory of a pod's volume (created on first use, shared by the pod's containers). */
    VolumeDir volume(String podUid, String volumeName);

    /**
     * Backs the pod's volume {@code volumeName} with storage that outlives the pod (a node's hostPath, a claim's
     * volume), before the containers are created. Returns null, or the type check's failure ("/data is not a
     * directory") when the storage is missing and may not be created.
     */
    String attach(String podUid, String volumeName, PersistentStorage storage);

    /**
     * Storage that outlives pods: {@code key} names it ({@code node/<node>/<path>} for a hostPath,
     * {@code volume/<pv name>} for a PersistentVolume's files); {@code file} mounts a single file rather than a directory;
     * {@code create} makes a missing one (DirectoryOrCreate, FileOrCreate and the unchecked default).
     */
    record PersistentStorage(String key, String path, boolean file, boolean create) {}

    /**
     * Backs the pod's emptyDir {@code volumeName} with {@code medium: Memory} by a tmpfs of {@code sizeBytes}
     * (0: bounded only by the node's memory), before the containers are created: writes beyond its size fail with
     * "No space left on device", and what it stores counts toward the memory of the containers that mount it.
     */
    default void tmpfs(String podUid, String volumeName, long sizeBytes) {}

    /** Frees storage that outlived its pods when what it belonged to goes (a deleted PersistentVolume's files). */
    default void deleteStorage(String key) {}

    /**
     * A copy of the files of every volume (emptyDirs, memory-backed ones, hostPaths, PersistentVolumes) and of
     * every running container's own files, for a cluster snapshot, or null when the runtime cannot make one.
     */
    default Object snapshotVolumes() {
        return null;
    }

    /** Puts every volume's files back as {@link #snapshotVolumes()} copied them. */
    default void restoreVolumes(Object snapshot) {}

    /** What came of one request over the pod network: whether the name resolved, whether anything answered, and what. */
    record NetworkReply(String address, boolean resolved, boolean connected, byte[] data, boolean timedOut) {
        public NetworkReply(String address, boolean resolved, boolean connected, byte[] data) {
            this(address, resolved, connected, data, false);
        }
    }

    /**
     * Sends {@code request} to {@code host:port} over the pod network as {@code from} would (its DNS, its address),
     * or from outside the cluster when {@code from} is null (addresses only: node ports and cluster IPs route as
     * usual), and returns what came back.
     */
    default NetworkReply exchange(ContainerProcess from, String host, int port, byte[] request) {
        throw new UnsupportedOperationException("this container runtime has no simulated network");
    }

    /**
     * Sends {@code request} over TLS to {@code host:port} as {@link #exchange} does, naming {@code serverName} in
     * the handshake (SNI; empty for none); the reply's {@code serverChain} is what the server presented, empty when
     * the handshake failed (nothing there terminates TLS).
     */
    default TlsReply exchangeTls(ContainerProcess from, String host, int port, String serverName, byte[] request) {
        throw new UnsupportedOperationException("this container runtime has no simulated network");
    }

    /** What came of one request over TLS: the network's reply and the server's certificate chain. */
    record TlsReply(NetworkReply reply, java.util.List<java.security.cert.X509Certificate> serverChain) {
        public TlsReply {
            serverChain = java.util.List.copyOf(serverChain);
        }
    }

    /** Tells the runtime about the cluster's Services and DNS, so containers reach them by name and cluster IP. */
    default void clusterNetwork(ClusterNetwork network) {}

    /** Frees a pod's volumes and its sandbox (an emptyDir goes with its pod; attached storage stays). */
    void removeVolumes(String podUid);

    @Override
    void close();

    /** The outcome of an exec. */
    record ExecResult(int exitCode, String stdout, String stderr) {}
}
