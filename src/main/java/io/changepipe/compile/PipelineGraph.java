package io.changepipe.compile;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import io.changepipe.offset.CommitTracker;
import io.changepipe.offset.PositionStore;
import io.changepipe.sink.DeadLetters;
import io.changepipe.sink.Sink;
import io.changepipe.sink.SinkRecord;
import io.changepipe.source.ChangeEmitter;
import io.changepipe.source.Source;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One running pipeline: source → rules → partition key → every sink, with acknowledgements flowing back to a
 * {@link CommitTracker} and the committed position stored periodically and on clean shutdown. The source resumes
 * from the stored position, so a crash anywhere means duplicates at most, never a gap.
 */
public final class PipelineGraph {

    private static final Logger LOG = Logger.getLogger(PipelineGraph.class);

    static {
        // Mutiny's context-propagation hook initialises lazily and fails ("ContextManagerProvider already set") when
        // two sink threads race to be first; initialise it once here, outside Quarkus (tests, bench) as inside
        io.smallrye.mutiny.Uni.createFrom().deferred(() -> io.smallrye.mutiny.Uni.createFrom().voidItem()).await().indefinitely();
    }

    /** Rules and transformations: the event to send, or empty when the table or row is not selected. */
    public interface Processor {
        Optional<ChangeEvent> process(ChangeEvent event);
    }

    /**
     * The partition key of a processed event; {@code source} is the event as read, so per-table key rules match the
     * source table even when the rules renamed it.
     */
    public interface KeyFunction {
        String key(ChangeEvent source, ChangeEvent processed);
    }

    /** What the pipeline is made of: where changes come from, what rules do to them, how they are keyed, where they go. */
    public record Parts(Source source, Processor processor, KeyFunction keys, Map<String, Sink> sinks) {
    }

    /**
     * What the pipeline uses around it: the position store, the dead-letter place, who counts selected changes and who
     * hears of full loads starting and ending (tables named as the rules rename them).
     */
    public record Services(PositionStore store, DeadLetters deadLetters, java.util.function.Consumer<ChangeEvent> counted,
            LoadListener loads) {
        public Services(PositionStore store, DeadLetters deadLetters, java.util.function.Consumer<ChangeEvent> counted) {
            this(store, deadLetters, counted, LoadListener.NONE);
        }
    }

    /** Told when a selected table's full load starts, starts again after an interrupted load, and ends. */
    public record LoadListener(java.util.function.Consumer<TableId> started, java.util.function.Consumer<TableId> finished,
            java.util.function.Consumer<TableId> reloaded) {
        public static final LoadListener NONE = new LoadListener(t -> { }, t -> { }, t -> { });

        public LoadListener(java.util.function.Consumer<TableId> started, java.util.function.Consumer<TableId> finished) {
            this(started, finished, t -> { });
        }
    }

    /**
     * In-flight bounds (changes and their estimated bytes), commit cadence, how long a clean stop waits for the sinks,
     * and per-sink batching and retry.
     */
    public record Settings(int maxInFlight, long maxInFlightBytes, Duration commitInterval, Duration stopTimeout, SinkRunner.Settings sinks) {
        public static final Settings DEFAULT = new Settings(20_000, 64L << 20, Duration.ofSeconds(1), Duration.ofSeconds(30),
                SinkRunner.Settings.DEFAULT);

        /** The in-flight count and commit cadence given, the other settings at their defaults. */
        public Settings(int maxInFlight, Duration commitInterval, SinkRunner.Settings sinks) {
            this(maxInFlight, DEFAULT.maxInFlightBytes(), commitInterval, DEFAULT.stopTimeout(), sinks);
        }

        public Settings withSinkBackoff(Duration first, Duration max) {
            return new Settings(maxInFlight, maxInFlightBytes, commitInterval, stopTimeout,
                    new SinkRunner.Settings(sinks.maxBatch(), sinks.maxDelay(), first, max));
        }

        public Settings withMaxInFlight(int n) {
            return new Settings(n, maxInFlightBytes, commitInterval, stopTimeout, sinks);
        }

        public Settings withMaxInFlightBytes(long bytes) {
            return new Settings(maxInFlight, bytes, commitInterval, stopTimeout, sinks);
        }

        public Settings withStopTimeout(Duration timeout) {
            return new Settings(maxInFlight, maxInFlightBytes, commitInterval, timeout, sinks);
        }

        public Settings withBatch(int maxBatch, Duration maxDelay) {
            return new Settings(maxInFlight, maxInFlightBytes, commitInterval, stopTimeout,
                    new SinkRunner.Settings(maxBatch, maxDelay, sinks.firstBackoff(), sinks.maxBackoff()));
        }
    }

    public enum State { NEW, RUNNING, STOPPED, FAILED }

    private final String pipeline;
    private final Source source;
    private final Processor processor;
    private final KeyFunction keys;
    private final PositionStore store;
    private final DeadLetters deadLetters;
    private final java.util.function.Consumer<ChangeEvent> counted;
    private final LoadListener loads;
    private final Settings settings;
    private final CommitTracker tracker;
    private final List<SinkRunner> runners = new ArrayList<>();
    private final List<Thread> sinkThreads = new ArrayList<>();
    private final ScheduledExecutorService committer;
    private Thread sourceThread;
    private volatile State state = State.NEW;
    private volatile boolean stopping;
    private volatile String failure;
    private volatile SourcePosition stored;

    public PipelineGraph(String pipeline, Parts parts, Services services, Settings settings) {
        this.pipeline = pipeline;
        this.source = parts.source();
        this.processor = parts.processor();
        this.keys = parts.keys();
        this.store = services.store();
        this.deadLetters = services.deadLetters();
        this.counted = services.counted();
        this.loads = services.loads();
        this.settings = settings;
        this.tracker = new CommitTracker(settings.maxInFlight(), settings.maxInFlightBytes());
        new LinkedHashMap<>(parts.sinks()).forEach((name, sink) -> runners.add(new SinkRunner(pipeline, name, sink, deadLetters,
                settings.sinks(), settings.maxInFlight(), tracker::acknowledge, this::fail)));
        this.committer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "changepipe-" + pipeline + "-commit"));
    }

    /** Starts reading from the stored position (or the source's configured start when none is stored). */
    public synchronized void start() throws IOException {
        Optional<SourcePosition> from = store.load(pipeline);
        stored = from.orElse(null);
        for (SinkRunner r : runners) {
            Thread t = daemon(r, "changepipe-" + pipeline + "-sink-" + r.name());
            sinkThreads.add(t);
            t.start();
        }
        long every = settings.commitInterval().toMillis();
        committer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        sourceThread = daemon(() -> readSource(from), "changepipe-" + pipeline + "-source");
        state = State.RUNNING;
        sourceThread.start();
        LOG.infof("pipeline %s: started from %s", pipeline, from.map(SourcePosition::text).orElse("the configured start"));
    }

    private void readSource(Optional<SourcePosition> from) {
        try {
            source.run(from, emitter());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            fail(e);
        }
    }

    private ChangeEmitter emitter() {
        return new ChangeEmitter() {
            @Override
            public void emit(ChangeEvent event) throws InterruptedException {
                Optional<ChangeEvent> out;
                try {
                    out = processor.process(event);
                } catch (RuntimeException e) {
                    // without its row images: the rules never ran, so columns they remove or mask would leak here
                    ChangeEvent bare = ChangeEvent.of(event.op(), event.table(), null, null, event.primaryKey(), event.position());
                    deadLetters.write(pipeline, "rules", new SinkRecord(-1, bare, ""), e.getMessage());
                    out = Optional.empty();
                }
                if (out.isEmpty() || runners.isEmpty()) {
                    tracker.register(event.position(), 0, 0);
                    return;
                }
                ChangeEvent e = out.get();
                counted.accept(e);
                long seq = tracker.register(event.position(), runners.size(), e.estimatedBytes());
                SinkRecord record = new SinkRecord(seq, e, keys.key(event, e));
                for (SinkRunner r : runners) {
                    r.offer(record);
                }
            }

            @Override
            public void advance(SourcePosition position) throws InterruptedException {
                tracker.register(position, 0, 0);
            }

            @Override
            public void checkpoint(SourcePosition position) throws InterruptedException {
                tracker.register(position, 0, 0);
                commit();
            }

            @Override
            public void loadStarted(TableId table) {
                target(table).ifPresent(loads.started());
            }

            @Override
            public void loadReloading(TableId table) {
                target(table).ifPresent(loads.reloaded());
            }

            @Override
            public void loadFinished(TableId table) {
                target(table).ifPresent(loads.finished());
            }
        };
    }

    /** The name the rules give a source table (renames), or empty when they do not select it. */
    private Optional<TableId> target(TableId table) {
        try {
            return processor.process(ChangeEvent.of(io.changepipe.event.Op.DDL, table, null, null, null,
                    new SourcePosition.Sequence(-1))).map(ChangeEvent::table);
        } catch (RuntimeException e) {
            return Optional.of(table);
        }
    }

    /** Every commit interval: store what is acknowledged, and fail the pipeline on a sink's background fatal error. */
    private void tick() {
        commit();
        for (SinkRunner r : runners) {
            io.changepipe.sink.SinkFatalException f = r.sink().fatal();
            if (f != null) {
                fail(f);
            }
        }
    }

    private synchronized void commit() {
        SourcePosition p = tracker.committable();
        if (p != null && !p.equals(stored)) {
            try {
                store.store(pipeline, p);
                stored = p;
            } catch (IOException e) {
                LOG.errorf("pipeline %s: cannot store position %s: %s (will retry)", pipeline, p.text(), e.getMessage());
            }
        }
    }

    private synchronized void fail(Throwable t) {
        if (state == State.RUNNING && !stopping) {
            failure = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            state = State.FAILED;
            LOG.errorf("pipeline %s: failed: %s", pipeline, failure);
            source.stop();
            // a source waiting for room in a full window would otherwise wait for ever
            tracker.close();
        }
    }

    /**
     * Clean shutdown: stop reading, let every sink deliver what it has, store the position of what was delivered. Waits
     * at most the stop timeout for the source and the sinks (a failed or stalled sink cannot hold it up for ever); what
     * was not acknowledged by then is sent again after the next start.
     */
    public void stop() throws InterruptedException {
        synchronized (this) {
            if (state == State.NEW || stopping) {
                return;
            }
            stopping = true;
        }
        long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
        source.stop();
        // a source blocked on a full window (a stalled or failed sink) wakes up and returns
        tracker.close();
        joinOrInterrupt(sourceThread, deadline, "source");
        for (SinkRunner r : runners) {
            r.finish();
        }
        for (int i = 0; i < sinkThreads.size(); i++) {
            joinOrInterrupt(sinkThreads.get(i), deadline, "sink " + runners.get(i).name());
        }
        committer.shutdownNow();
        commit();
        runners.forEach(r -> closeQuietly(r));
        if (state == State.RUNNING) {
            state = State.STOPPED;
        }
        LOG.infof("pipeline %s: stopped at %s", pipeline, stored == null ? "(nothing committed)" : stored.text());
    }

    private void joinOrInterrupt(Thread t, long deadline, String what) throws InterruptedException {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (t.isAlive()) {
            LOG.warnf("pipeline %s: %s did not finish within %ss of the stop; what it has not delivered is sent again at the next start",
                    pipeline, what, settings.stopTimeout().toSeconds());
            t.interrupt();
            t.join();
        }
    }

    private void closeQuietly(SinkRunner r) {
        try {
            r.sink().close();
        } catch (RuntimeException e) {
            LOG.debugf("pipeline %s: closing sink %s: %s", pipeline, r.name(), e.getMessage());
        }
    }

    /** An abrupt stop, as a crash would be: no draining, no final store. For tests of recovery. */
    public synchronized void kill() throws InterruptedException {
        // first, so that threads failing on the interrupts below do not report a failure or stop the source again
        state = State.STOPPED;
        stopping = true;
        committer.shutdownNow();
        source.stop();
        sourceThread.interrupt();
        sinkThreads.forEach(Thread::interrupt);
        sourceThread.join();
        for (Thread t : sinkThreads) {
            t.join();
        }
        state = State.STOPPED;
    }

    /** Sinks that are retrying in the background (uploads failing...), each with why: "lake: uploads to ...". */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (SinkRunner r : runners) {
            String p = r.sink().problem();
            if (p != null) {
                out.add(r.name() + ": " + p);
            }
        }
        return out;
    }

    public State state() {
        return state;
    }

    /** Why the pipeline failed, or null. */
    public String failure() {
        return failure;
    }

    /** The position of the newest change every sink acknowledged with nothing unacknowledged before it. */
    public SourcePosition acknowledged() {
        return tracker.committable();
    }

    public long inFlight() {
        return tracker.inFlight();
    }

    /** Estimated bytes of the changes in flight. */
    public long inFlightBytes() {
        return tracker.inFlightBytes();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
