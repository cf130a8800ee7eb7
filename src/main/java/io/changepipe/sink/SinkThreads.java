package io.changepipe.sink;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** The daemon threads a buffering sink uses: an upload pool and an interval ticker. */
public final class SinkThreads {

    private SinkThreads() {
    }

    public static ExecutorService uploads(String name, int threads) {
        return Executors.newFixedThreadPool(threads, daemon(name + "-upload"));
    }

    /** Runs {@code task} every {@code every}; null when {@code every} is zero (tests drive the clock themselves). */
    public static ScheduledExecutorService ticker(String name, Duration every, Runnable task) {
        if (every.isZero()) {
            return null;
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon(name + "-interval"));
        ticker.scheduleWithFixedDelay(task, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return ticker;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
