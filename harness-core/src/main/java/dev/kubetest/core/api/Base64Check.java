package dev.kubetest.core.api;

import java.util.OptionalInt;

/** Where Go's {@code base64.StdEncoding} stops decoding a {@code []byte} field's text, if it does. Pure. */
final class Base64Check {
    private Base64Check() {}

    /** The input byte at which decoding fails (Go's {@code CorruptInputError}), or empty for valid base64. */
    static OptionalInt illegalAt(String text) {
        int n = 0; // significant characters seen (Go skips \r and \n)
        int padding = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (c == '=') {
                if (padding < 0) {
                    padding = i;
                    if (n % 4 < 2) {
                        return OptionalInt.of(i);
                    }
                }
                n++;
                continue;
            }
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!alphabet || padding >= 0) {
                return OptionalInt.of(i);
            }
            n++;
        }
        if (n % 4 != 0) {
            return OptionalInt.of(text.length() - (n % 4 == 1 ? 1 : 0));
        }
        return OptionalInt.empty();
    }
}
