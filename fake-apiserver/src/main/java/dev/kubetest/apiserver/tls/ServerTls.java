package dev.kubetest.apiserver.tls;

import dev.kubetest.core.tls.ClusterTls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The TLS context API servers serve with, one per {@link ClusterTls} (the clusters of a JVM share one). The key
 * manager hands out the serving key and chain as they are: Netty's key-and-certificate builder would put them in
 * a PKCS#12 key store first, whose password-based key protection cost every server ~75 ms of CPU.
 */
public final class ServerTls {
    private static final AtomicReference<ServerTls> LAST = new AtomicReference<>();
    private static final String ALIAS = "kube-apiserver";

    private final ClusterTls material;
    private final SslContext context;

    private ServerTls(ClusterTls material, SslContext context) {
        this.material = material;
        this.context = context;
    }

    /** The context for this material: made once, then reused while servers use the same material. */
    public static SslContext context(ClusterTls material) {
        ServerTls last = LAST.get();
        if (last != null && last.material == material) {
            return last.context;
        }
        try {
            SslContext context = SslContextBuilder.forServer(new FixedKeyManager(material.serverKey(),
                    new X509Certificate[] {material.serverCertificate(), material.caCertificate()})).build();
            LAST.set(new ServerTls(material, context));
            return context;
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS", e);
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
