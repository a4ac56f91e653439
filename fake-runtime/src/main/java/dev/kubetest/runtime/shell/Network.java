package dev.kubetest.runtime.shell;

/**
 * The network as a shell process sees it (wget, nc): a request sent to {@code host:port} and the bytes that came
 * back before the server stopped answering. Byte strings throughout ({@link ShellText}).
 */
public interface Network {
    /** What came of one exchange: the name did not resolve, nothing listened, or the answer. */
    record Reply(String address, boolean resolved, boolean connected, String data, boolean timedOut) {
        public Reply(String address, boolean resolved, boolean connected, String data) {
            this(address, resolved, connected, data, false);
        }

        public static Reply unknownHost() {
            return new Reply(null, false, false, "");
        }

        public static Reply refused(String address) {
            return new Reply(address, true, false, "");
        }

        /** Nothing answered at all (a NetworkPolicy dropped the connection): the client waits out its timeout. */
        public static Reply timedOut(String address) {
            return new Reply(address, true, false, "", true);
        }
    }

    /** Sends {@code request} to {@code host:port} and returns the answer. */
    Reply exchange(String host, int port, String request);

    /** A DNS server's answer: its response code (NOERROR, NXDOMAIN...), or TIMEOUT when none answered. */
    record Dns(String rcode, java.util.List<Record> records, boolean authoritative) {
        /** One answer record; SRV data is "priority weight port target". */
        public record Record(String name, String type, String data) {}

        public static final Dns TIMEOUT = new Dns("TIMEOUT", java.util.List.of(), false);
    }

    /** Asks the DNS server at {@code server} for {@code name}'s records of {@code type}. */
    default Dns query(String server, String name, String type) {
        return Dns.TIMEOUT;
    }

    /** No network at all: every name is unknown. */
    Network NONE = (host, port, request) -> Reply.unknownHost();
}
