package dev.kubetest.core.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * Time skipping: cluster time follows wall time, but whenever the cluster has been idle (no API request in
 * flight, no controller work) for a short quiet period, it jumps straight to the next timer. A five-minute
 * back-off then takes milliseconds, while everything still happens in the order it would on a real clock.
 */
public final class SkippingClock extends VirtualClock {
    private final Activity activity;
    private final long quietNanos;
    private final Thread driver;
    private volatile boolean running = true;

    public SkippingClock(Instant start, Activity activity, Duration quiet) {
        super(start);
        this.activity = activity;
        this.quietNanos = quiet.toNanos();
        this.driver = new Thread(this::drive, "kubetest-skipping-clock");
        this.driver.setDaemon(true);
        this.driver.start();
    }

    private void drive() {
        long last = System.nanoTime();
        while (running) {
            try {
                synchronized (this) {
                    wait(1);
                }
            } catch (InterruptedException e) {
                return;
            }
            long wall = System.nanoTime();
            // real time passes as well
            advance(Duration.ofNanos(wall - last));
            last = wall;
            if (!activity.busy() && activity.quietNanos() >= quietNanos) {
                Instant next = nextTimer();
                if (next != null && next.isAfter(now())) {
                    // after background timers only (probes that ran synchronously), the cluster is still settled
                    // unless they made API requests or controller work, which touch the activity themselves
                    if (advanceCounting(next)) {
                        activity.touch();
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        driver.interrupt();
        super.close();
    }
}
