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
            DerReader name = new DerReader(subject, 0);
            DerReader rdns = name.enter(0x30);
            while (rdns.more()) {
                DerReader set = rdns.enter(0x31);
                while (set.more()) {
                    DerReader atv = set.enter(0x30);
                    String type = atv.oid();
                    byte[] value = atv.next();
                    if (type.equals(oid)) {
                        out.add(new String(DerReader.content(value), StandardCharsets.UTF_8));
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
        DerReader outer = new DerReader(der, 0).enter(0x30);
        byte[] info = outer.next();
        DerReader algorithm = outer.enter(0x30);
        String sigOid = algorithm.oid();
        byte[] signatureBits = DerReader.content(outer.next());
        DerReader infoReader = new DerReader(info, 0).enter(0x30);
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
}
