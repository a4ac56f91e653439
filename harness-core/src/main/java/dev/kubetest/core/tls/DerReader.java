package dev.kubetest.core.tls;

/** Reads DER elements one after another from a region of bytes. */
final class DerReader {
    private final byte[] data;
    private int pos;
    private final int end;

    DerReader(byte[] data, int pos) {
        this(data, pos, data.length);
    }

    private DerReader(byte[] data, int pos, int end) {
        this.data = data;
        this.pos = pos;
        this.end = end;
    }

    boolean more() {
        return pos < end;
    }

    /** The next element, tag and length included. */
    byte[] next() throws CertificateRequest.Invalid {
        int start = pos;
        int[] header = header();
        pos = header[0] + header[1];
        return java.util.Arrays.copyOfRange(data, start, pos);
    }

    /** Enters the next element, which must have this tag, and reads its content. */
    DerReader enter(int tag) throws CertificateRequest.Invalid {
        if (pos >= end || (data[pos] & 0xff) != tag) {
            throw new CertificateRequest.Invalid("asn1: structure error: tags don't match");
        }
        int[] header = header();
        pos = header[0] + header[1];
        return new DerReader(data, header[0], header[0] + header[1]);
    }

    String oid() throws CertificateRequest.Invalid {
        byte[] tlv = next();
        if (tlv[0] != 0x06) {
            throw new CertificateRequest.Invalid("asn1: structure error: expected an object identifier");
        }
        byte[] c = content(tlv);
        StringBuilder sb = new StringBuilder();
        sb.append(c[0] / 40).append('.').append(c[0] % 40);
        long v = 0;
        for (int i = 1; i < c.length; i++) {
            v = (v << 7) | (c[i] & 0x7f);
            if ((c[i] & 0x80) == 0) {
                sb.append('.').append(v);
                v = 0;
            }
        }
        return sb.toString();
    }

    /** {content start, content length} of the element at the cursor. */
    private int[] header() throws CertificateRequest.Invalid {
        if (pos + 2 > end) {
            throw new CertificateRequest.Invalid("asn1: syntax error: data truncated");
        }
        int i = pos + 1;
        int len = data[i++] & 0xff;
        if (len >= 0x80) {
            int bytes = len & 0x7f;
            if (bytes == 0 || bytes > 4 || i + bytes > end) {
                throw new CertificateRequest.Invalid("asn1: syntax error: invalid length");
            }
            len = 0;
            for (int k = 0; k < bytes; k++) {
                len = (len << 8) | (data[i++] & 0xff);
            }
        }
        if (len < 0 || i + len > end) {
            throw new CertificateRequest.Invalid("asn1: syntax error: data truncated");
        }
        return new int[] {i, len};
    }

    static byte[] content(byte[] tlv) throws CertificateRequest.Invalid {
        DerReader r = new DerReader(tlv, 0);
        int[] h = r.header();
        return java.util.Arrays.copyOfRange(tlv, h[0], h[0] + h[1]);
    }
}
