package dev.kubetest.core.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A serving certificate chain and its private key, as a {@code kubernetes.io/tls} Secret holds them in
 * {@code tls.crt} and {@code tls.key} (PEM). The key may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}), as openssl, cert-manager and kubectl write them;
 * it must belong to the first certificate, as an ingress controller checks before it serves a pair.
 */
public record TlsCredentials(List<X509Certificate> chain, PrivateKey key) {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String EC = "1.2.840.10045.2.1";

    /** Why a pair cannot be served: the message an ingress controller logs. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    public TlsCredentials {
        chain = List.copyOf(chain);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Reads {@code tls.crt} and {@code tls.key} (PEM text) and checks that the key belongs to the certificate. */
    public static TlsCredentials parse(String certificatePem, String keyPem) throws Invalid {
        List<X509Certificate> chain = certificates(certificatePem);
        PrivateKey key = privateKey(keyPem);
        if (!belongs(key, chain.get(0))) {
            throw new Invalid("tls: private key does not match public key");
        }
        return new TlsCredentials(chain, key);
    }

    /** The certificates of a PEM bundle, in order; at least one. */
    public static List<X509Certificate> certificates(String pem) throws Invalid {
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = PEM.matcher(pem == null ? "" : pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new Invalid("x509: malformed certificate");
        }
        if (out.isEmpty()) {
            throw new Invalid("tls: failed to find any PEM data in certificate input");
        }
        return out;
    }

    /** The first private key of a PEM text: PKCS#8, PKCS#1 (RSA) or SEC 1 (EC). */
    public static PrivateKey privateKey(String pem) throws Invalid {
        Matcher m = PEM.matcher(pem == null ? "" : pem);
        while (m.find()) {
            String type = m.group(1);
            try {
                byte[] der = decode(m.group(2));
                switch (type) {
                    case "PRIVATE KEY" -> {
                        return pkcs8(der);
                    }
                    case "RSA PRIVATE KEY" -> {
                        return pkcs8(Der.sequence(Der.integer(java.math.BigInteger.ZERO),
                                Der.sequence(Der.oid(RSA), Der.tlv(0x05, new byte[0])), Der.octetString(der)));
                    }
                    case "EC PRIVATE KEY" -> {
                        return pkcs8(Der.sequence(Der.integer(java.math.BigInteger.ZERO),
                                Der.sequence(Der.oid(EC), Der.oid(curveOf(der))), Der.octetString(der)));
                    }
                    default -> { }
                }
            } catch (GeneralSecurityException | CertificateRequest.Invalid | IllegalArgumentException e) {
                throw new Invalid("tls: failed to parse private key");
            }
        }
        throw new Invalid("tls: failed to find any PEM data in key input");
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key: it signs what the certificate's key verifies. */
    public static boolean belongs(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certificate.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The chain in PEM, as {@code tls.crt} holds it. */
    public String certificatePem() {
        StringBuilder b = new StringBuilder();
        chain.forEach(c -> b.append(CertificateAuthority.pem(c)));
        return b.toString();
    }

    /** The key in PEM (PKCS#8), as {@code tls.key} holds it. */
    public String keyPem() {
        return pem(key);
    }

    /** A private key in PEM (PKCS#8), as {@code openssl genpkey} writes it. */
    public static String pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException, CertificateRequest.Invalid {
        DerReader info = new DerReader(der, 0).enter(0x30);
        info.next(); // version
        String algorithm = info.enter(0x30).oid();
        String name = switch (algorithm) {
            case RSA -> "RSA";
            case EC -> "EC";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + algorithm);
        };
        return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** The named curve in a SEC 1 ECPrivateKey's [0] parameters. */
    private static String curveOf(byte[] sec1) throws CertificateRequest.Invalid {
        DerReader key = new DerReader(sec1, 0).enter(0x30);
        key.next(); // version
        key.next(); // privateKey
        while (key.more()) {
            byte[] element = key.next();
            if ((element[0] & 0xff) == 0xa0) {
                return new DerReader(DerReader.content(element), 0).oid();
            }
        }
        throw new CertificateRequest.Invalid("x509: EC private key without named curve parameters");
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.trim());
    }
}
