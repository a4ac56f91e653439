package dev.kubetest.core.network;

/** A request over the simulated network that got no answer, and why. */
public final class NetworkException extends RuntimeException {
    /**
     * Why: the name did not resolve, nothing listened (refused), a NetworkPolicy dropped the connection (timed out:
     * reported at once, without waiting out a timeout), the answer was not HTTP, there was nowhere to send from,
     * the server did not speak TLS (handshake), or the client refused its certificate (untrusted, expired, or not
     * naming the host).
     */
    public enum Reason { UNKNOWN_HOST, REFUSED, TIMED_OUT, NOT_HTTP, NO_CONTAINER, TLS_HANDSHAKE, UNTRUSTED_CERTIFICATE }

    private final Reason reason;

    public NetworkException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
