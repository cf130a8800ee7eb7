package io.changepipe.sink.sns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * At most {@code count} alerts of a rule per fixed window of {@code per}, the window starting at the first alert after
 * the previous one ended. Alerts over the limit are suppressed: counted, and logged as a warning when the limit is first
 * hit in a window and, with the total, when that window is over.
 */
final class RateLimit {

    private static final Logger LOG = Logger.getLogger(RateLimit.class);

    private final String where;
    private final int count;
    private final Duration per;
    private final Clock clock;
    private Instant windowEnd = Instant.MIN;
    private Instant windowStart = Instant.MIN;
    private int admitted;
    private long suppressed;

    /** {@code where} names the pipeline, sink and rule in log lines. */
    RateLimit(String where, int count, Duration per, Clock clock) {
        this.where = where;
        this.count = count;
        this.per = per;
        this.clock = clock;
    }

    synchronized boolean admit() {
        Instant now = clock.instant();
        if (!now.isBefore(windowEnd)) {
            report();
            windowStart = now;
            windowEnd = now.plus(per);
            admitted = 0;
            suppressed = 0;
        }
        if (admitted < count) {
            admitted++;
            return true;
        }
        if (suppressed++ == 0) {
            LOG.warnf("%s: rate limit of %d alerts per %s reached; further alerts are suppressed (counted, not published) until %s",
                    where, count, per, windowEnd);
        }
        return false;
    }

    private void report() {
        if (suppressed > 0) {
            LOG.warnf("%s: rate limit suppressed %d alert(s) in the window %s to %s", where, suppressed, windowStart, windowEnd);
        }
    }
}
