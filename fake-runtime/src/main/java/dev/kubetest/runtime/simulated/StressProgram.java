package dev.kubetest.runtime.simulated;

import java.time.Duration;
import java.util.List;

/**
 * The {@code stress} tool (images polinux/stress, progrium/stress), as the upstream "Assign Memory Resources"
 * example runs it: {@code --vm N --vm-bytes B} allocates N workers of B bytes (suffixes k, m, g in powers of
 * 1024, default 256m), {@code --cpu N} spins, {@code --timeout T} ends the run successfully after T.
 */
record StressProgram(int cpu, int vm, long vmBytes, Duration timeout) {

    static boolean isStress(List<String> argv) {
        return !argv.isEmpty() && argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1).equals("stress");
    }

    /** The workers and limits {@code argv} (starting with {@code stress}) asks for. */
    static StressProgram parse(List<String> argv) {
        int cpu = 0;
        int vm = 0;
        long bytes = 256L << 20;
        Duration timeout = null;
        for (int i = 1; i < argv.size() - 1; i++) {
            String value = argv.get(i + 1);
            switch (argv.get(i)) {
                case "--cpu", "-c" -> cpu = Integer.parseInt(value);
                case "--vm", "-m" -> vm = Integer.parseInt(value);
                case "--vm-bytes" -> bytes = bytes(value);
                case "--timeout", "-t" -> timeout = duration(value);
                default -> {
                    continue;
                }
            }
            i++;
        }
        return new StressProgram(cpu, vm, bytes, timeout);
    }

    /** Memory the workers hold, in bytes. */
    long memoryBytes() {
        return vm * vmBytes;
    }

    static long bytes(String value) {
        String v = value.trim().toLowerCase();
        char unit = v.charAt(v.length() - 1);
        long factor = switch (unit) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String number = Character.isLetter(unit) ? v.substring(0, v.length() - 1) : v;
        return (long) (Double.parseDouble(number) * factor);
    }

    static Duration duration(String value) {
        String v = value.trim().toLowerCase();
        char unit = v.charAt(v.length() - 1);
        long n = Long.parseLong(Character.isLetter(unit) ? v.substring(0, v.length() - 1) : v);
        return switch (unit) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            case 'y' -> Duration.ofDays(365 * n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The line stress prints as it starts its workers. */
    String dispatchLine() {
        return "stress: info: [1] dispatching hogs: " + cpu + " cpu, 0 io, " + vm + " vm, 0 hdd";
    }
}
