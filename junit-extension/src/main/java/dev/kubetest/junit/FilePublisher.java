package dev.kubetest.junit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Publishes a report file through {@code ExtensionContext.publishFile} (JUnit 5.12 and later). Loaded only when
 * the JUnit on the class path has {@code org.junit.jupiter.api.MediaType}; on older ones the file is just written.
 */
final class FilePublisher {
    private FilePublisher() {}

    static boolean available() {
        try {
            Class.forName("org.junit.jupiter.api.MediaType", false, FilePublisher.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static void publish(ExtensionContext context, Path file) {
        context.publishFile(file.getFileName().toString(), org.junit.jupiter.api.MediaType.create("text", "html"),
                target -> Files.copy(file, target));
    }
}
