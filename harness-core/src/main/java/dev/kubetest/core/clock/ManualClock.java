package dev.kubetest.core.clock;

import java.time.Instant;

/** Time moves only when a test calls {@link #advance}: deterministic tests of timers and back-offs. */
public final class ManualClock extends VirtualClock {
    public ManualClock(Instant start) {
        super(start);
    }
}
