package dev.kubetest.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.kubetest.apiserver.support.Kubectl;
import dev.kubetest.apiserver.support.TestServer;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * certificates.k8s.io/v1 CertificateSigningRequests: validation, the approval subresource (kubectl certificate
 * approve/deny) and the kube-apiserver-client signers issuing certificates from the cluster CA.
 */
class CertificateSigningRequestTest {
    static TestServer server;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = new TestServer();
        client = server.fabric8();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A PEM PKCS#10 request for {@code subject} with a fresh P-256 key. */
    static String request(String subject) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = gen.generateKeyPair();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    static CertificateSigningRequest create(String name, String subject, String signer, String... usages) throws Exception {
        return client.certificates().v1().certificateSigningRequests().resource(new CertificateSigningRequestBuilder()
                .withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withRequest(Base64.getEncoder().encodeToString(request(subject).getBytes(StandardCharsets.US_ASCII)))
                .withSignerName(signer).withUsages(usages).withExpirationSeconds(86400).endSpec().build()).create();
    }

    private static CertificateSigningRequest get(String name) {
        return client.certificates().v1().certificateSigningRequests().withName(name).get();
    }

    @Test
    void kubectlApprovesAndTheSignerIssuesAClientCertificateFromTheClusterCa() throws Exception {
        Kubectl.assumePresent();
        CertificateSigningRequest created = create("jane", "CN=jane,O=dev", "kubernetes.io/kube-apiserver-client",
                "client auth", "digital signature");
        assertThat(created.getSpec().getUsername()).isEqualTo("kubetest-admin");
        Kubectl k = server.kubectl();
        assertThat(k.run("get", "csr", "jane").ok().out()).containsPattern("jane\\s+\\S+\\s+kubernetes.io/kube-apiserver-client"
                + "\\s+kubetest-admin\\s+24h\\s+Pending");
        assertThat(k.run("certificate", "approve", "jane").ok().out())
                .isEqualTo("certificatesigningrequest.certificates.k8s.io/jane approved\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> get("jane").getStatus().getCertificate() != null);
        CertificateSigningRequest approved = get("jane");
        assertThat(approved.getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Approved");
            assertThat(c.getReason()).isEqualTo("KubectlApprove");
        });
        String pem = new String(Base64.getDecoder().decode(approved.getStatus().getCertificate()), StandardCharsets.US_ASCII);
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        X509Certificate ca = server.server().certificateAuthority().caCertificate();
        cert.verify(ca.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=jane,O=dev");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(k.run("get", "csr", "jane").ok().out()).contains("Approved,Issued");
    }

    @Test
    void aDeniedRequestGetsNoCertificate() throws Exception {
        Kubectl.assumePresent();
        create("denied", "CN=mallory", "kubernetes.io/kube-apiserver-client", "client auth");
        assertThat(server.kubectl().run("certificate", "deny", "denied").ok().out())
                .isEqualTo("certificatesigningrequest.certificates.k8s.io/denied denied\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> !get("denied").getStatus().getConditions().isEmpty());
        assertThat(get("denied").getStatus().getConditions()).extracting(CertificateSigningRequestCondition::getType)
                .containsExactly("Denied");
        assertThat(get("denied").getStatus().getCertificate()).isNull();
        // kubectl refuses to approve a denied request itself; fabric8's approve() replaces Denied by Approved, which
        // the server refuses as upstream does: an approval condition is never removed
        assertThat(server.kubectl().run("certificate", "approve", "denied").err())
                .contains("certificate signing request \"denied\" is already Denied");
        KubernetesClientException e = catchThrowableOfType(() -> client.certificates().v1().certificateSigningRequests()
                .withName("denied").approve(), KubernetesClientException.class);
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getMessage()).contains("updates may not remove a condition of type \"Denied\"");
    }

    @Test
    void theKubeletSignerRefusesAnythingButANodeIdentity() throws Exception {
        create("not-a-node", "CN=jane,O=dev", "kubernetes.io/kube-apiserver-client-kubelet", "client auth");
        client.certificates().v1().certificateSigningRequests().withName("not-a-node").approve();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("not-a-node").getStatus().getConditions().size() == 2);
        assertThat(get("not-a-node").getStatus().getConditions()).last().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Failed");
            assertThat(c.getReason()).isEqualTo("SignerValidationFailure");
            assertThat(c.getMessage()).isEqualTo("subject organization is not system:nodes");
        });
        assertThat(get("not-a-node").getStatus().getCertificate()).isNull();
        create("node-1", "CN=system:node:node-1,O=system:nodes", "kubernetes.io/kube-apiserver-client-kubelet",
                "client auth", "digital signature", "key encipherment");
        client.certificates().v1().certificateSigningRequests().withName("node-1").approve();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("node-1").getStatus().getCertificate() != null);
    }

    @Test
    void invalidRequestsAre422NamingTheField() {
        KubernetesClientException e = catchThrowableOfType(() -> client.certificates().v1().certificateSigningRequests()
                .resource(new CertificateSigningRequestBuilder().withNewMetadata().withName("bad").endMetadata().withNewSpec()
                        .withRequest(Base64.getEncoder().encodeToString("not a pem".getBytes(StandardCharsets.US_ASCII)))
                        .withUsages("client auth", "flying").withExpirationSeconds(60).endSpec().build()).create(),
                KubernetesClientException.class);
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getDetails().getCauses()).extracting(c -> c.getField()).containsExactlyInAnyOrder(
                "spec.request", "spec.signerName", "spec.usages[1]", "spec.expirationSeconds");
        assertThat(List.of(e.getStatus().getMessage())).singleElement().asString().contains("PEM block type must be CERTIFICATE REQUEST");
    }
}
