package dev.kubetest.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Headless Chromium for tests of pages: skipped where it is absent, unless CI requires it. */
final class HeadlessChromium {
    private HeadlessChromium() {}

    /** The browser's path; aborts the test where there is none (fails it under -Dkubetest.require.chromium=true). */
    static String find(String why) {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        boolean required = Boolean.getBoolean("kubetest.require.chromium");
        assertThat(required).as("kubetest.require.chromium is set but no chromium is on the PATH").isFalse();
        Assumptions.abort("headless Chromium is not installed (apt-get install chromium): " + why
                + "; CI installs it and sets -Dkubetest.require.chromium=true");
        return null;
    }

    /** Runs the browser headless with {@code args}; its standard output. */
    static String run(String chromium, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory("kubetest-chromium-")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
