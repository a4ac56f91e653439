package dev.kubetest.samples;

import static dev.kubetest.samples.ChildProcesses.outputOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's recipe for a class-data archive in a test JVM: the JDK archives no classes from directories, and a
 * test class path starts with {@code target/test-classes}, but classes on the boot class path can be archived
 * whatever the class path holds. The training runs with {@code kubetest-server.jar} appended to the boot class
 * path and an empty class path; a JVM with the same boot class path, this module's test class path and
 * {@code -Xshare:on} (which refuses to start without the archive) then maps KubeTest's classes from it and still
 * runs a client from the class path against the cluster.
 */
class BootClassPathArchiveTest {
    private static final Path JAR = Path.of("..", "..", "fake-apiserver", "target", "kubetest-server.jar").toAbsolutePath();

    @Test
    void aTestClassPathMapsKubeTestFromAnArchiveOfTheBootClassPath(@TempDir Path dir) throws Exception {
        assertThat(JAR).as("run `mvn package` first: the shaded jar").exists();
        Path archive = dir.resolve("kubetest-boot.jsa");
        String training = run(dir, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-Xbootclasspath/a:" + JAR, "-Djava.class.path=", "dev.kubetest.apiserver.ClassDataTraining"));
        assertThat(archive).as("training output: %s", training).exists();

        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).as("a class path with a directory").isNotEmpty();
        Path log = dir.resolve("classes.log");
        String out = run(dir, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xbootclasspath/a:" + JAR,
                "-Xlog:class+load=info:file=" + log, "-cp", classPath, BootClassPathCluster.class.getName()));
        assertThat(out).contains("OK kubetest loader=null fabric8 loader=application");
        List<String> loaded = Files.readAllLines(log);
        for (String cls : List.of("dev.kubetest.core.KubeCluster", "dev.kubetest.apiserver.ApiServer",
                "io.netty.channel.nio.NioEventLoop", "com.fasterxml.jackson.core.JsonFactory")) {
            assertThat(loaded).as(cls).anyMatch(l -> l.contains(" " + cls + " source: shared objects file (top)"));
        }
        assertThat(loaded).as("the test's own class, from its directory")
                .anyMatch(l -> l.contains(" " + BootClassPathCluster.class.getName() + " source: file:") && l.endsWith("/test-classes/"));
        assertThat(loaded.stream().filter(l -> l.contains("source: shared objects file (top)")).count())
                .as("classes mapped from the archive").isGreaterThan(1000);
    }

    /** Runs {@code java} with {@code args} in {@code dir}; returns its output, failing on a non-zero exit. */
    private static String run(Path dir, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = outputOf(p, 60);
        assertThat(p.exitValue()).as("%s:%n%s", cmd, out).isZero();
        return out;
    }
}
