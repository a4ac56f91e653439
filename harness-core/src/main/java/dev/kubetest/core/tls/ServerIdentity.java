package dev.kubetest.core.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What a TLS client checks of the chain a server presents (pure apart from the JDK's PKIX validator): that it
 * leads to a trusted root and is valid at the given time (RFC 5280), and that the leaf names the host asked for
 * (RFC 6125: subjectAltName dNSName entries, a {@code *} only as the whole left-most label, matching one label;
 * iPAddress entries for an address; the subject's CN is not consulted, as browsers, curl and Go do). Failures read
 * as curl reports them.
 */
public final class ServerIdentity {
    private ServerIdentity() {}

    /** Why a client refuses {@code chain} for {@code host} at {@code now} trusting {@code roots}; empty when it accepts it. */
    public static Optional<String> problem(List<X509Certificate> chain, String host, Collection<X509Certificate> roots, Instant now) {
        Optional<String> trust = untrusted(chain, roots, now);
        if (trust.isPresent()) {
            return trust;
        }
        if (!names(chain.get(0), host)) {
            return Optional.of("SSL: no alternative certificate subject name matches target host name '" + host + "'");
        }
        return Optional.empty();
    }

    /** Whether the certificate's subjectAltNames cover {@code host} (a DNS name or an IP address literal). */
    public static boolean names(X509Certificate certificate, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        boolean address = isAddress(h);
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans == null) {
                return false;
            }
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (address ? type == 7 && value.equals(h) : type == 2 && matches(value, h)) {
                    return true;
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return false;
    }

    /** Whether DNS name pattern {@code pattern} (perhaps {@code *.example.com}) matches {@code host}. */
    public static boolean matches(String pattern, String host) {
        String p = trimDot(pattern.toLowerCase(Locale.ROOT));
        String h = trimDot(host.toLowerCase(Locale.ROOT));
        if (!p.startsWith("*.")) {
            return p.equals(h);
        }
        int dot = h.indexOf('.');
        return dot > 0 && h.substring(dot).equals(p.substring(1)) && p.indexOf('.', 2) > 0;
    }

    /** The JDK's default trusted roots (its cacerts), as a client that was given no CA file uses. */
    public static List<X509Certificate> systemRoots() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            List<X509Certificate> out = new ArrayList<>();
            for (var tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    out.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
            return out;
        } catch (GeneralSecurityException e) {
            return List.of();
        }
    }

    private static Optional<String> untrusted(List<X509Certificate> chain, Collection<X509Certificate> roots, Instant now) {
        X509Certificate leaf = chain.get(0);
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            return Optional.of("SSL certificate problem: certificate has expired");
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return Optional.of("SSL certificate problem: certificate is not yet valid");
        }
        for (X509Certificate root : roots) {
            if (root.equals(leaf)) {
                return Optional.empty();
            }
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        roots.forEach(r -> anchors.add(new TrustAnchor(r, null)));
        boolean selfSigned = chain.size() == 1 && leaf.getIssuerX500Principal().equals(leaf.getSubjectX500Principal());
        if (anchors.isEmpty()) {
            return Optional.of(selfSigned ? "SSL certificate problem: self-signed certificate"
                    : "SSL certificate problem: unable to get local issuer certificate");
        }
        try {
            // the path excludes a trusted root the server sent along
            List<X509Certificate> path = new ArrayList<>();
            for (X509Certificate c : chain) {
                if (!roots.contains(c)) {
                    path.add(c);
                }
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(java.util.Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return Optional.of("SSL certificate problem: certificate has expired");
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Optional.of("SSL certificate problem: certificate is not yet valid");
            }
            return Optional.of(selfSigned ? "SSL certificate problem: self-signed certificate"
                    : "SSL certificate problem: unable to get local issuer certificate");
        } catch (GeneralSecurityException e) {
            return Optional.of("SSL certificate problem: " + e.getMessage());
        }
    }

    private static boolean isAddress(String host) {
        return host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") || host.contains(":");
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
