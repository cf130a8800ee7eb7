package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.changepipe.definition.JdbcConnectionDef;
import io.changepipe.event.SourcePosition.BinlogPosition;
import com.github.shyiko.mysql.binlog.event.Event;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The CDC phase: a replica connection ({@link BinaryLogClient}) whose events {@link BinlogChanges} turns into changes,
 * on the calling thread (the client reads and decodes on a thread of its own). When the connection drops (server restart, network, a silent peer the heartbeat watchdog
 * notices) it reconnects with exponential backoff from the last change it emitted, so a drop costs nothing and a
 * crash at most duplicates. Errors a retry cannot fix end the run with what to do: a purged binlog (1236), rejected
 * credentials, a missing REPLICATION privilege.
 */
final class BinlogReader {

    private static final Logger LOG = Logger.getLogger(BinlogReader.class);
    private static final int QUEUED_EVENTS = 128;
    private static final Event END = new Event(null, null);

    /** Reconnect backoff. */
    record Settings(Duration firstBackoff, Duration maxBackoff) {
        static final Settings DEFAULT = new Settings(Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    private final String pipeline;
    private final JdbcConnectionDef connection;
    private final long serverId;
    private final Duration heartbeat;
    private final Settings settings;
    private volatile boolean stopped;
    private volatile BinaryLogClient client;
    private volatile long lastSeen = System.nanoTime();
    private volatile boolean heldBack;
    private volatile Exception failure;
    private volatile Exception communication;

    BinlogReader(String pipeline, JdbcConnectionDef connection, long serverId, Duration heartbeat, Settings settings) {
        this.pipeline = pipeline;
        this.connection = connection;
        this.serverId = serverId;
        this.heartbeat = heartbeat;
        this.settings = settings;
    }

    /** Reads until {@link #stop}; {@code startGtids} is used only when {@code changes} has no position yet. */
    void run(BinlogChanges changes, String startGtids) throws Exception {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "changepipe-" + pipeline + "-binlog-watchdog");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, heartbeat.toMillis());
        watchdog.scheduleWithFixedDelay(this::checkAlive, every, every, TimeUnit.MILLISECONDS);
        try {
            Duration backoff = settings.firstBackoff();
            while (!stopped) {
                Optional<BinlogPosition> at = changes.reconnectAt();
                long before = changes.emitted();
                BinaryLogClient c = client(at, startGtids);
                communication = null;
                client = c;
                if (stopped) {
                    break;
                }
                LOG.infof("pipeline %s: reading the binlog from %s (server id %d)", pipeline,
                        at.map(BinlogPosition::text).orElse("GTID set " + startGtids), serverId);
                readOnce(c, changes);
                Exception f = failure;
                if (f != null) {
                    if (f instanceof InterruptedException && stopped) {
                        return;
                    }
                    throw f;
                }
                if (stopped) {
                    return;
                }
                Exception why = communication;
                if (why instanceof ServerException se) {
                    fatal(se, at);
                }
                if (changes.emitted() > before) {
                    backoff = settings.firstBackoff();
                }
                LOG.warnf("pipeline %s: binlog connection lost (%s); reconnecting in %d ms", pipeline,
                        why == null ? "closed by the server" : why.getMessage(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : backoff.multipliedBy(2);
            }
        } finally {
            watchdog.shutdownNow();
            BinaryLogClient c = client;
            if (c != null) {
                disconnect(c);
            }
        }
    }

    /**
     * One connection: the client reads and decodes events on a thread of its own while this thread turns them into
     * changes, so the two overlap; a bounded queue between them passes back-pressure on to the socket. Returns when the
     * connection ends, every event read before that handled.
     */
    private void readOnce(BinaryLogClient c, BinlogChanges changes) throws InterruptedException {
        BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUED_EVENTS);
        c.registerEventListener(event -> {
            lastSeen = System.nanoTime();
            try {
                if (!queue.offer(event)) {
                    heldBack = true;
                    queue.put(event);
                    heldBack = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                disconnect(c);
            }
        });
        c.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient client, Exception ex) {
                communication = ex;
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient client, Exception ex) {
                failure = new IllegalStateException("cannot read a binlog event: " + ex.getMessage(), ex);
                disconnect(client);
            }
        });
        lastSeen = System.nanoTime();
        Thread reading = new Thread(() -> {
            try {
                c.connect();
            } catch (IOException | RuntimeException e) {
                communication = e;
            } finally {
                heldBack = false;
                try {
                    queue.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "changepipe-" + pipeline + "-binlog");
        reading.setDaemon(true);
        reading.start();
        List<Event> batch = new ArrayList<>(QUEUED_EVENTS);
        boolean ended = false;
        try {
            while (!ended) {
                batch.add(queue.take());
                queue.drainTo(batch, QUEUED_EVENTS);
                for (Event event : batch) {
                    if (event == END) {
                        ended = true;
                    } else if (failure == null && !stopped) {
                        handle(c, changes, event);
                    }
                }
                batch.clear();
            }
        } finally {
            if (!ended) {
                // interrupted (killed): let the reading thread end too
                disconnect(c);
                queue.clear();
                reading.interrupt();
            }
        }
        reading.join();
    }

    private void handle(BinaryLogClient c, BinlogChanges changes, Event event) throws InterruptedException {
        try {
            changes.handle(event);
        } catch (InterruptedException e) {
            throw e;
        } catch (SQLException e) {
            if (retryable(e)) {
                communication = e; // information_schema unreachable: reconnect both
            } else {
                failure = e;
            }
            disconnect(c);
        } catch (Exception e) {
            failure = e;
            disconnect(c);
        }
    }

    private BinaryLogClient client(Optional<BinlogPosition> at, String startGtids) {
        BinaryLogClient c = new BinaryLogClient(connection.host(), connection.port(), connection.user(),
                connection.password() == null ? "" : connection.password().reveal());
        c.setServerId(serverId);
        c.setKeepAlive(false); // reconnection is ours: it must resume at a transaction start, not where the client stopped
        c.setBlocking(true);
        c.setHeartbeatInterval(heartbeat.toMillis());
        c.setConnectTimeout(10_000);
        c.setSSLMode(SSLMode.PREFERRED);
        c.setEventDeserializer(BinlogDeserializer.create());
        if (at.isPresent()) {
            c.setBinlogFilename(at.get().file());
            c.setBinlogPosition(at.get().position());
        } else {
            c.setGtidSet(startGtids);
        }
        return c;
    }

    /** Errors no reconnect can fix, as what to do. */
    private void fatal(ServerException e, Optional<BinlogPosition> at) {
        String where = at.map(p -> p.file() + ":" + p.position()).orElse("the configured GTID set");
        switch (e.getErrorCode()) {
            case 1236 -> throw new IllegalStateException("pipeline " + pipeline + ": the server cannot send the binlog from "
                    + where + " (" + e.getMessage() + "). The binlog there was probably purged, so changes since then are lost"
                    + " to CDC: reload the tables (delete the stored position and run with migrationType full-load-and-cdc) or"
                    + " set a new start position; keep binlogs longer (binlog_expire_logs_seconds, RDS binlog retention hours)"
                    + " than the pipeline may be down");
            case 1045 -> throw new IllegalStateException("pipeline " + pipeline + ": the server rejected " + connection.user()
                    + "@" + connection.host() + ":" + connection.port() + " for the binlog (" + e.getMessage()
                    + "); check connection.user and connection.password");
            case 1227, 1044, 1142 -> throw new IllegalStateException("pipeline " + pipeline + ": " + connection.user()
                    + " may not read the binlog (" + e.getMessage() + "); GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '"
                    + connection.user() + "'");
            default -> {
            }
        }
    }

    /** Drops a connection that has been silent for three heartbeats while the engine was not holding us back. */
    private void checkAlive() {
        BinaryLogClient c = client;
        long silentMillis = (System.nanoTime() - lastSeen) / 1_000_000;
        if (c != null && c.isConnected() && !heldBack && silentMillis > 3 * heartbeat.toMillis() + 5000) {
            LOG.warnf("pipeline %s: no binlog event or heartbeat for %d ms; reconnecting", pipeline, silentMillis);
            communication = new IOException("no event or heartbeat for " + silentMillis + " ms");
            disconnect(c);
        }
    }

    long connectionId() {
        BinaryLogClient c = client;
        return c == null || !c.isConnected() ? -1 : c.getConnectionId();
    }

    void stop() {
        stopped = true;
        BinaryLogClient c = client;
        if (c != null) {
            disconnect(c);
        }
    }

    private static void disconnect(BinaryLogClient c) {
        try {
            c.disconnect();
        } catch (IOException e) {
            // closing is best effort
        }
    }

    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }
}
