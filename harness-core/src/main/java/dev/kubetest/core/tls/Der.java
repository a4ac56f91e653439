package dev.kubetest.core.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The few ASN.1 DER encodings an X.509 certificate is made of (ITU-T X.690): each method returns one complete
 * TLV. Pure functions; {@link CertificateAuthority} assembles them and the JDK signs and parses the result.
 */
final class Der {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private Der() {}

    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((n >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... items) {
        return tlv(0x30, concat(items));
    }

    static byte[] set(byte[]... items) {
        return tlv(0x31, concat(items));
    }

    static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    static byte[] bool(boolean value) {
        return tlv(0x01, new byte[] {(byte) (value ? 0xff : 0x00)});
    }

    static byte[] octetString(byte[] value) {
        return tlv(0x04, value);
    }

    /** A BIT STRING of whole bytes (a signature, a key). */
    static byte[] bitString(byte[] value) {
        return tlv(0x03, concat(new byte[] {0}, value));
    }

    /** A named-bit BIT STRING (key usage): bit 0 is the most significant bit of the first byte; trailing zeros dropped. */
    static byte[] namedBits(int... bits) {
        int highest = 0;
        for (int b : bits) {
            highest = Math.max(highest, b);
        }
        byte[] value = new byte[highest / 8 + 1];
        for (int b : bits) {
            value[b / 8] |= (byte) (0x80 >>> (b % 8));
        }
        int unused = 7 - highest % 8;
        return tlv(0x03, concat(new byte[] {(byte) unused}, value));
    }

    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return tlv(0x06, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, long v) {
        int groups = 1;
        for (long x = v >>> 7; x != 0; x >>>= 7) {
            groups++;
        }
        for (int i = groups - 1; i >= 0; i--) {
            int b = (int) ((v >>> (7 * i)) & 0x7f);
            out.write(i == 0 ? b : b | 0x80);
        }
    }

    static byte[] utf8String(String s) {
        return tlv(0x0c, s.getBytes(StandardCharsets.UTF_8));
    }

    /** A certificate validity time: UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
    static byte[] time(Instant t) {
        Instant seconds = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        boolean utc = seconds.atZone(ZoneOffset.UTC).getYear() < 2050;
        return utc ? tlv(0x17, UTC_TIME.format(seconds).getBytes(StandardCharsets.US_ASCII))
                : tlv(0x18, GENERALIZED_TIME.format(seconds).getBytes(StandardCharsets.US_ASCII));
    }

    /** A context-specific tag: constructed (explicit wrapping) or primitive (implicit, as in GeneralName). */
    static byte[] tagged(int number, boolean constructed, byte[] value) {
        return tlv((constructed ? 0xa0 : 0x80) | number, value);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
