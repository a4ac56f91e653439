package dev.kubetest.core.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers in the shapes upstream gives them: object UIDs are random (version 4) UUIDs, container IDs 64 hex
 * digits. They must be unique, not unguessable, so they come from {@link ThreadLocalRandom}: the JDK's
 * {@code UUID.randomUUID()} and {@code nameUUIDFromBytes} start the JDK's security providers on first use
 * (SecureRandom, MD5), ~40 ms of a fresh JVM's first cluster boot.
 */
public final class Uids {
    private Uids() {}

    /** A random version 4 UUID, as {@code metadata.uid}. */
    public static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return version4(r.nextLong(), r.nextLong());
    }

    /** A version 4 UUID that depends only on {@code name} (a node's system UUID and boot ID). */
    public static String fromName(String name) {
        long h1 = 0x9E3779B97F4A7C15L;
        long h2 = 0xC2B2AE3D27D4EB4FL;
        for (int i = 0; i < name.length(); i++) {
            h1 = mix(h1 ^ name.charAt(i));
            h2 = mix(h2 + name.charAt(i) * 0x100000001B3L);
        }
        return version4(mix(h1 ^ name.length()), mix(h2 ^ h1));
    }

    /** 64 random hex digits, as a container ID. */
    public static String containerId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < 4; i++) {
            String part = Long.toHexString(r.nextLong());
            sb.append("0".repeat(16 - part.length())).append(part);
        }
        return sb.toString();
    }

    private static String version4(long high, long low) {
        long msb = (high & ~0xF000L) | 0x4000L;
        long lsb = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
