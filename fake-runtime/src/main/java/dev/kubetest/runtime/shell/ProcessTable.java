package dev.kubetest.runtime.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The processes of one simulated container, as {@code ps}, {@code kill}, {@code wait} and {@code $!} see them: the
 * main process as PID 1, exec'd processes and background jobs with PIDs of their own. A process ends once; who
 * waits for it learns its exit status.
 */
public final class ProcessTable {
    /** How a process takes a signal (TERM, KILL, INT, HUP). */
    public interface Signals {
        void signal(String name);
    }

    /** One process: its PID, command line, signal handling, and (once ended) its status. */
    public static final class Process {
        final int pid;
        final String command;
        final Signals signals;
        Integer status;
        final List<IntConsumer> waiters = new ArrayList<>();

        Process(int pid, String command, Signals signals) {
            this.pid = pid;
            this.command = command;
            this.signals = signals;
        }
    }

    private final Map<Integer, Process> processes = new TreeMap<>();
    private int nextPid = 7;

    /** Registers the main process as PID 1. */
    public synchronized void main(String command, Signals signals) {
        processes.put(1, new Process(1, command, signals));
    }

    /** A new process; answers its PID. */
    public synchronized int start(String command, Signals signals) {
        int pid = nextPid++;
        processes.put(pid, new Process(pid, command, signals));
        return pid;
    }

    /** The process ended with {@code status}; whoever waits for it is told (once). */
    public void ended(int pid, int status) {
        List<IntConsumer> wake;
        synchronized (this) {
            Process p = processes.get(pid);
            if (p == null || p.status != null) {
                return;
            }
            p.status = status;
            wake = List.copyOf(p.waiters);
            p.waiters.clear();
            if (pid != 1) {
                processes.remove(pid);
                finished.put(pid, status);
            }
        }
        wake.forEach(w -> w.accept(status));
    }

    /** Exit statuses of ended background processes, for {@code wait PID} after the fact. */
    private final Map<Integer, Integer> finished = new TreeMap<>();

    synchronized List<Process> live() {
        return processes.values().stream().filter(p -> p.status == null).toList();
    }

    synchronized Process get(int pid) {
        Process p = processes.get(pid);
        return p == null || p.status != null ? null : p;
    }

    /** Calls {@code then} with the process's exit status once it has ended (at once if it has). */
    void whenEnded(int pid, IntConsumer then) {
        Integer status;
        synchronized (this) {
            Process p = processes.get(pid);
            if (p != null && p.status == null) {
                p.waiters.add(then);
                return;
            }
            status = p != null ? p.status : finished.getOrDefault(pid, 127);
        }
        then.accept(status);
    }
}
