package dev.kubetest.core.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * A PKCS#10 certificate signing request (RFC 2986) as a CertificateSigningRequest's {@code spec.request} carries
 * it in PEM: read with a small DER reader (no certificate library), its self-signature checked with the JDK.
 * Keeps the subject and public key as DER, which a certificate issued for it copies unchanged.
 */
public record CertificateRequest(byte[] subject, byte[] subjectPublicKeyInfo) {
    private static final Map<String, String> SIGNATURES = Map.of(
            "1.2.840.10045.4.3.2", "SHA256withECDSA",
            "1.2.840.10045.4.3.3", "SHA384withECDSA",
            "1.2.840.10045.4.3.4", "SHA512withECDSA",
            "1.2.840.113549.1.1.11", "SHA256withRSA",
            "1.2.840.113549.1.1.12", "SHA384withRSA",
            "1.2.840.113549.1.1.13", "SHA512withRSA",
            "1.3.101.112", "Ed25519");

    /** Why a request cannot be used, in upstream's words where it has them. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** The subject as RFC 2253 text ({@code CN=jane,O=dev}). */
    public String subjectName() {
        return new X500Principal(subject).getName(X500Principal.RFC2253);
    }

    /** The subject's common name, or "". */
    public String commonName() {
        return attributes("2.5.4.3").stream().findFirst().orElse("");
    }

    /** The subject's organizations (O). */
    public List<String> organizations() {
        return attributes("2.5.4.10");
    }

    private List<String> attributes(String oid) {
        List<String> out = new ArrayList<>();
        try {
            Reader name = new Reader(subject, 0);
            Reader rdns = name.enter(0x30);
            while (rdns.more()) {
                Reader set = rdns.enter(0x31);
                while (set.more()) {
                    Reader atv = set.enter(0x30);
                    String type = atv.oid();
                    byte[] value = atv.next();
                    if (type.equals(oid)) {
                        out.add(new String(Reader.content(value), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (Invalid e) {
            return out;
        }
        return out;
    }

    /** Parses a PEM "CERTIFICATE REQUEST" and checks its signature. */
    public static CertificateRequest parsePem(String pem) throws Invalid {
        String begin = "-----BEGIN CERTIFICATE REQUEST-----";
        String end = "-----END CERTIFICATE REQUEST-----";
        int b = pem.indexOf("-----BEGIN ");
        if (b < 0) {
            throw new Invalid("PEM block type must be CERTIFICATE REQUEST");
        }
        if (!pem.startsWith(begin, b) || pem.indexOf(end, b) < 0) {
            throw new Invalid("PEM block type must be CERTIFICATE REQUEST");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), pem.indexOf(end, b)));
        } catch (IllegalArgumentException e) {
            throw new Invalid("PEM block type must be CERTIFICATE REQUEST");
        }
        return parse(der);
    }

    static CertificateRequest parse(byte[] der) throws Invalid {
        Reader outer = new Reader(der, 0).enter(0x30);
        byte[] info = outer.next();
        Reader algorithm = outer.enter(0x30);
        String sigOid = algorithm.oid();
        byte[] signatureBits = Reader.content(outer.next());
        Reader infoReader = new Reader(info, 0).enter(0x30);
        infoReader.next(); // version
        byte[] subject = infoReader.next();
        byte[] spki = infoReader.next();
        String javaAlgorithm = SIGNATURES.get(sigOid);
        if (javaAlgorithm == null) {
            throw new Invalid("x509: cannot verify signature: algorithm unimplemented");
        }
        try {
            byte[] signature = java.util.Arrays.copyOfRange(signatureBits, 1, signatureBits.length);
            PublicKey key = publicKey(spki);
            Signature verifier = Signature.getInstance(javaAlgorithm);
            verifier.initVerify(key);
            verifier.update(info);
            if (!verifier.verify(signature)) {
                throw new Invalid("x509: ECDSA verification failure");
            }
        } catch (GeneralSecurityException e) {
            throw new Invalid("x509: cannot verify signature: " + e.getMessage());
        }
        return new CertificateRequest(subject, spki);
    }

    private static PublicKey publicKey(byte[] spki) throws GeneralSecurityException {
        for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported public key");
    }

    /** Reads DER elements one after another from a region of bytes. */
    private static final class Reader {
        private final byte[] data;
        private int pos;
        private final int end;

        Reader(byte[] data, int pos) {
            this(data, pos, data.length);
        }

        private Reader(byte[] data, int pos, int end) {
            this.data = data;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        /** The next element, tag and length included. */
        byte[] next() throws Invalid {
            int start = pos;
            int[] header = header();
            pos = header[0] + header[1];
            return java.util.Arrays.copyOfRange(data, start, pos);
        }

        /** Enters the next element, which must have this tag, and reads its content. */
        Reader enter(int tag) throws Invalid {
            if (pos >= end || (data[pos] & 0xff) != tag) {
                throw new Invalid("asn1: structure error: tags don't match");
            }
            int[] header = header();
            pos = header[0] + header[1];
            return new Reader(data, header[0], header[0] + header[1]);
        }

        String oid() throws Invalid {
            byte[] tlv = next();
            if (tlv[0] != 0x06) {
                throw new Invalid("asn1: structure error: expected an object identifier");
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
        private int[] header() throws Invalid {
            if (pos + 2 > end) {
                throw new Invalid("asn1: syntax error: data truncated");
            }
            int i = pos + 1;
            int len = data[i++] & 0xff;
            if (len >= 0x80) {
                int bytes = len & 0x7f;
                if (bytes == 0 || bytes > 4 || i + bytes > end) {
                    throw new Invalid("asn1: syntax error: invalid length");
                }
                len = 0;
                for (int k = 0; k < bytes; k++) {
                    len = (len << 8) | (data[i++] & 0xff);
                }
            }
            if (len < 0 || i + len > end) {
                throw new Invalid("asn1: syntax error: data truncated");
            }
            return new int[] {i, len};
        }

        static byte[] content(byte[] tlv) throws Invalid {
            Reader r = new Reader(tlv, 0);
            int[] h = r.header();
            return java.util.Arrays.copyOfRange(tlv, h[0], h[0] + h[1]);
        }
    }
}
