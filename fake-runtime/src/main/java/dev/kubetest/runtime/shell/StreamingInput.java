package dev.kubetest.runtime.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The standard input of an exec'd process while its client is still sending it: bytes as they arrive, and whether
 * the client has closed it. The process runs at once; a command that reads its input waits (without holding a
 * thread) until it has what it needs ({@link StdinReaders}) or the input is closed, then takes what arrived.
 */
public final class StreamingInput {
    private final StringBuilder buffer = new StringBuilder();
    private boolean closed;
    private List<Runnable> waiters = new ArrayList<>();

    /** Bytes from the client, as a byte string ({@link ShellText}). */
    public void append(String bytes) {
        List<Runnable> wake;
        synchronized (this) {
            if (closed) {
                return;
            }
            buffer.append(bytes);
            wake = drain();
        }
        wake.forEach(Runnable::run);
    }

    /** The client closed the input: whoever waits reads what there is. */
    public void close() {
        List<Runnable> wake;
        synchronized (this) {
            closed = true;
            wake = drain();
        }
        wake.forEach(Runnable::run);
    }

    private List<Runnable> drain() {
        List<Runnable> w = waiters;
        waiters = new ArrayList<>();
        return w;
    }

    synchronized boolean closed() {
        return closed;
    }

    synchronized String peek() {
        return buffer.toString();
    }

    /** Takes the first {@code length} bytes that arrived, leaving the rest for later readers. */
    synchronized String take(int length) {
        String s = buffer.substring(0, Math.min(length, buffer.length()));
        buffer.delete(0, s.length());
        return s;
    }

    /** Takes everything that has arrived. */
    synchronized String take() {
        String s = buffer.toString();
        buffer.setLength(0);
        return s;
    }

    /** Runs {@code waiter} once, when more input arrives or the input is closed (at once if it already is). */
    void whenChanged(Runnable waiter) {
        synchronized (this) {
            if (!closed) {
                waiters.add(waiter);
                return;
            }
        }
        waiter.run();
    }
}
