package io.changepipe.sink.sns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** One alert per key within a window: remembers when each key last alerted, forgets keys whose window passed. */
final class Dedupe {

    private final Template key;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Instant> until = new HashMap<>();
    private Instant nextPurge = Instant.MIN;

    Dedupe(Template key, Duration window, Clock clock) {
        this.key = key;
        this.window = window;
        this.clock = clock;
    }

    Template key() {
        return key;
    }

    /** True when an alert for {@code value} may go now (and starts its window); false when one went within the window. */
    synchronized boolean admit(String value) {
        Instant now = clock.instant();
        purge(now);
        Instant end = until.get(value);
        if (end != null && now.isBefore(end)) {
            return false;
        }
        until.put(value, now.plus(window));
        return true;
    }

    /** How many keys are remembered (tests). */
    synchronized int size() {
        return until.size();
    }

    private void purge(Instant now) {
        if (now.isBefore(nextPurge)) {
            return;
        }
        for (Iterator<Instant> it = until.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next())) {
                it.remove();
            }
        }
        // a sweep at most every tenth of a window keeps this O(1) amortised
        nextPurge = now.plus(window.dividedBy(10));
    }
}
