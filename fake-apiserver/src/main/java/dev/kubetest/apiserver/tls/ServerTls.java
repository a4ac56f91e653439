package dev.kubetest.apiserver.tls;

import dev.kubetest.core.tls.ClusterTls;
import io.netty.handler.ssl.SslHandler;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS set-up API servers serve with, one per {@link ClusterTls} (the clusters of a JVM share one): a JDK
 * {@link SSLContext} holding the serving key and chain, and a Netty {@link SslHandler} per connection over an
 * engine from it. The context is the JDK's own rather than Netty's {@code SslContext}, whose classes, the first
 * time they are used in a JVM, load the JDK's default trust store (~150 certificates) and build a throw-away
 * PKCS#12 store with a password-protected key (10,000 PBKDF2 rounds): ~400 ms of a first HTTPS boot, for
 * nothing a server uses. The key manager hands out the key and chain as they are (no key store either); the
 * server asks no client for a certificate, so its trust manager trusts none.
 */
public final class ServerTls {
    private static final AtomicReference<ServerTls> LAST = new AtomicReference<>();
    private static final String ALIAS = "kube-apiserver";
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** TLS 1.3's suites, then TLS 1.2's forward-secret AEAD suites for an EC key (what Go and Netty offer first). */
    private static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

    private final ClusterTls material;
    private final SSLContext context;
    private final String[] cipherSuites;

    private ServerTls(ClusterTls material, SSLContext context) {
        this.material = material;
        this.context = context;
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        this.cipherSuites = CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    }

    /** The set-up for this material: made once, then reused while servers use the same material. */
    public static ServerTls of(ClusterTls material) {
        ServerTls last = LAST.get();
        if (last != null && last.material == material) {
            return last;
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new FixedKeyManager(material.serverKey(),
                            new X509Certificate[] {material.serverCertificate(), material.caCertificate()})},
                    new TrustManager[] {new NoClientCertificates()}, null);
            ServerTls made = new ServerTls(material, context);
            LAST.set(made);
            return made;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }

    /** The server side of one connection. */
    public SslHandler newHandler() {
        return new SslHandler(engine());
    }

    SSLEngine engine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(PROTOCOLS.clone());
        engine.setEnabledCipherSuites(cipherSuites.clone());
        return engine;
    }

    /** The server requests no client certificate; should one be offered anyway, it is not trusted. */
    static final class NoClientCertificates extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** One key and its chain, offered for the key's own algorithm (EC) and nothing else. */
    static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final PrivateKey key;
        private final X509Certificate[] chain;

        FixedKeyManager(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain.clone();
        }

        private String aliasFor(String keyType) {
            return key.getAlgorithm().equals(keyType) ? ALIAS : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return aliasFor(keyType) == null ? null : new String[] {ALIAS};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return aliasFor(keyType);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyType);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }
}
