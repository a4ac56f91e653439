package dev.kubetest.runtime.shell;

import java.nio.charset.StandardCharsets;

/**
 * The shell works on bytes, as a Unix shell does: its strings are byte strings, one char (0-255) per byte, so
 * that binary data (a tar stream through {@code kubectl cp}) passes through pipes, files and exec unchanged.
 * Text enters (scripts, environment) encoded as UTF-8 and leaves (logs, probe output) decoded from it.
 */
public final class ShellText {
    private ShellText() {}

    /** The byte string of {@code text}'s UTF-8 encoding. */
    public static String encode(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** The text a byte string holds, decoded as UTF-8. */
    public static String decode(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    public static String of(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    public static byte[] bytes(String byteString) {
        return byteString.getBytes(StandardCharsets.ISO_8859_1);
    }
}
