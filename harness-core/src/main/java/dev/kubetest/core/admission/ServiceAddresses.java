package dev.kubetest.core.admission;

import java.util.HashSet;
import java.util.Set;

/**
 * The cluster's service IP range (10.96.0.0/12, first address reserved for {@code kubernetes}) and node port
 * range (30000-32767): hands out free addresses and ports, and takes back those of deleted Services.
 */
public final class ServiceAddresses {
    private static final int BASE = (10 << 24) | (96 << 16);
    private static final int SIZE = 1 << 20;
    private final Set<Integer> ips = new HashSet<>();
    private final Set<Integer> nodePorts = new HashSet<>();
    private int nextIp = 10;
    private int nextPort = 30000;

    public synchronized String allocateIp() {
        for (int i = 0; i < SIZE; i++) {
            int candidate = nextIp;
            nextIp = nextIp + 1 >= SIZE - 1 ? 10 : nextIp + 1;
            if (ips.add(candidate)) {
                return format(BASE + candidate);
            }
        }
        throw new IllegalStateException("the service IP range is full");
    }

    /** Claims a requested IP: false when it is taken; IllegalArgumentException when outside the range. */
    public synchronized boolean claimIp(String ip) {
        int offset = parse(ip) - BASE;
        if (offset <= 0 || offset >= SIZE - 1) {
            throw new IllegalArgumentException("the provided IP (" + ip + ") is not in the valid range. The range of valid IPs is 10.96.0.0/12");
        }
        return ips.add(offset);
    }

    public synchronized void releaseIp(String ip) {
        try {
            ips.remove(parse(ip) - BASE);
        } catch (IllegalArgumentException ignored) {
            // not one of ours
        }
    }

    public synchronized int allocateNodePort() {
        for (int i = 0; i < 2768; i++) {
            int candidate = nextPort;
            nextPort = nextPort >= 32767 ? 30000 : nextPort + 1;
            if (nodePorts.add(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the node port range is full");
    }

    public synchronized boolean claimNodePort(int port) {
        if (port < 30000 || port > 32767) {
            throw new IllegalArgumentException("provided port is not in the valid range. The range of valid ports is 30000-32767");
        }
        return nodePorts.add(port);
    }

    public synchronized void releaseNodePort(int port) {
        nodePorts.remove(port);
    }

    private static String format(int ip) {
        return ((ip >>> 24) & 255) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "." + (ip & 255);
    }

    private static int parse(String ip) {
        String[] p = ip.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
        int v = 0;
        for (String s : p) {
            int b = Integer.parseInt(s);
            if (b < 0 || b > 255) {
                throw new IllegalArgumentException("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
            v = (v << 8) | b;
        }
        return v;
    }
}
