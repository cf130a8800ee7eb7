package io.changepipe.source.mysql;

import io.changepipe.definition.MigrationType;
import io.changepipe.definition.SourceDef;
import io.changepipe.definition.StartPosition;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.SourcePosition.BinlogPosition;
import io.changepipe.rules.TableSelector;
import io.changepipe.source.ChangeEmitter;
import io.changepipe.source.Source;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * MySQL or MariaDB: a consistent full load ({@link FullLoad}) and/or CDC from the row binlog ({@link BinlogReader}).
 * <ul>
 * <li>Stored {@link BinlogPosition}: CDC resumes there (a full-load-only pipeline has nothing left to do).
 * <li>Nothing stored, with a full load to do: the full load runs, then the snapshot's binlog point is committed as a
 * boundary and CDC continues from it.
 * <li>Stored {@link SourcePosition.LoadRow} (an interrupted full load): the tables its progress lists as delivered are
 * not loaded again; the others are loaded again at a new snapshot, and CDC continues from the <em>first</em>
 * snapshot's point, so every change after it reaches every sink (a reloaded table's changes between the two
 * snapshots arrive after its reloaded rows).
 * <li>Nothing stored, CDC only: the configured start (current, earliest, file and position, GTID set).
 * </ul>
 */
public final class MySqlSource implements Source {

    private static final Logger LOG = Logger.getLogger(MySqlSource.class);

    /** Timings: snapshot lock wait, progress log interval, reconnect backoff. */
    public record Settings(FullLoad.Settings load, BinlogReader.Settings reconnect) {
        public static final Settings DEFAULT = new Settings(new FullLoad.Settings(30, Duration.ofSeconds(30)), BinlogReader.Settings.DEFAULT);

        public Settings withProgressEvery(Duration every) {
            return new Settings(new FullLoad.Settings(load.lockWaitSeconds(), every), reconnect);
        }

        public Settings withBackoff(Duration first, Duration max) {
            return new Settings(load, new BinlogReader.Settings(first, max));
        }
    }

    private final String pipeline;
    private final SourceDef.MySql def;
    private final List<TableMappingDef.Selection> rules;
    private final TableSelector selector;
    private final Settings settings;
    private final long serverId;
    private volatile boolean stopped;
    private volatile FullLoad fullLoad;
    private volatile BinlogReader reader;

    public MySqlSource(String pipeline, SourceDef.MySql def, TableMappingDef mappings, Settings settings) {
        this.pipeline = pipeline;
        this.def = def;
        this.rules = mappings.rules(TableMappingDef.Selection.class);
        this.selector = new TableSelector(rules);
        this.settings = settings;
        this.serverId = ServerIds.of(def.serverId(), pipeline);
    }

    @Override
    public void run(Optional<SourcePosition> from, ChangeEmitter emitter) throws Exception {
        try {
            read(from, emitter);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (message.startsWith("pipeline " + pipeline + ":")) {
                throw e;
            }
            throw new IllegalStateException("pipeline " + pipeline + ": " + message, e);
        }
    }

    private void read(Optional<SourcePosition> from, ChangeEmitter emitter) throws Exception {
        stopped = false;
        boolean load = def.migrationType() != MigrationType.CDC;
        boolean cdc = def.migrationType() != MigrationType.FULL_LOAD;
        Connections db = new Connections(def.connection());
        Preflight check = new Preflight(pipeline, db);
        SourcePosition stored = from.orElse(null);
        if (stored != null && !(stored instanceof BinlogPosition) && !(stored instanceof SourcePosition.LoadRow)) {
            throw new IllegalStateException("pipeline " + pipeline + ": the stored position '" + stored.text() + "' is a "
                    + stored.kind() + " position, not a MySQL one; delete the pipeline's stored position to start afresh");
        }
        if (stored instanceof BinlogPosition && !cdc) {
            LOG.infof("pipeline %s: the full load finished before (stored position %s); nothing to do", pipeline, stored.text());
            return;
        }
        SourcePosition.LoadProgress previous = stored instanceof SourcePosition.LoadRow l ? l.progress() : null;
        Start plan = prepare(stored, load, cdc, check, previous);
        ServerInfo server = plan.server();
        BinlogPosition resume = plan.resume();
        if (resume == null && load) {
            BinlogPoint point = null;
            if (previous == null || !plan.tables().isEmpty()) {
                FullLoad f = new FullLoad(pipeline, db, server, plan.tables(), def.parallelLoad(), settings.load(), previous);
                fullLoad = f;
                if (stopped) {
                    return;
                }
                point = f.run(emitter);
                fullLoad = null;
                if (stopped) {
                    return;
                }
            }
            if (previous != null) {
                resume = previous.resume() instanceof BinlogPosition first ? first : new BinlogPosition("", 0, 0, "");
            } else {
                resume = point != null ? point.toPosition() : new BinlogPosition("", 0, 0, "");
            }
            emitter.advance(resume);
            if (!cdc) {
                LOG.infof("pipeline %s: full load done", pipeline);
                return;
            }
        }
        if (stored == null && plan.resume() != null) {
            // the configured start (current, earliest, file and position) is stored before any change: a crash before
            // the first commit must not make the next run start at a later "current"
            emitter.checkpoint(plan.resume());
        }
        stream(db, server, resume, plan.startGtids(), emitter);
    }

    /** What a run starts with: the server, where CDC resumes (null: after a full load, or a GTID start) and what to load. */
    private record Start(ServerInfo server, BinlogPosition resume, String startGtids, List<FullLoad.LoadTable> tables) {
    }

    /** Checks the server, the privileges and the rules, and works out where to start. */
    private Start prepare(SourcePosition stored, boolean load, boolean cdc, Preflight check, SourcePosition.LoadProgress previous)
            throws Exception {
        try (Connection c = check.connect(() -> stopped, settings.reconnect().firstBackoff(), settings.reconnect().maxBackoff())) {
            ServerInfo server = ServerInfo.inspect(c);
            LOG.infof("pipeline %s: source is %s at %s:%d", pipeline, server.describe(), def.connection().host(), def.connection().port());
            if (cdc) {
                check.checkBinlog(server);
            }
            List<SchemaReader.Listed> listed = SchemaReader.list(c);
            check.checkNamedTables(rules, listed.stream().filter(l -> !l.view()).map(SchemaReader.Listed::id).collect(Collectors.toSet()));
            if (stored instanceof BinlogPosition b) {
                return new Start(server, b, null, List.of());
            }
            if (load) {
                if (stored != null && previous == null) {
                    LOG.infof("pipeline %s: the full load was interrupted (stored position %s); loading again from the start",
                            pipeline, stored.text());
                }
                if (cdc) {
                    check.checkReplication(c, server, serverId);
                }
                List<FullLoad.LoadTable> tables = plan(c, listed, new SchemaReader(!server.mariadb()));
                if (previous != null) {
                    tables = tables.stream().filter(t -> !previous.done().contains(t.id())).toList();
                    LOG.infof("pipeline %s: the full load was interrupted (stored position %s, attempt %d): %d table(s) delivered, "
                            + "loading %d again (%s); CDC continues from the first snapshot, %s", pipeline, stored.text(), previous.attempt(),
                            previous.done().size(), tables.size(), tables.stream().map(t -> t.id().toString()).collect(Collectors.joining(", ")),
                            previous.resume() == null ? "(no binlog)" : previous.resume().text());
                }
                return new Start(server, null, null, tables);
            }
            if (def.start() instanceof StartPosition.GtidSet g) {
                return new Start(server, null, g.gtidSet(), List.of());
            }
            return new Start(server, configuredStart(c, server, check, def.start()), null, List.of());
        }
    }

    private BinlogPosition configuredStart(Connection c, ServerInfo server, Preflight check, StartPosition start) throws java.sql.SQLException {
        if (start instanceof StartPosition.Earliest) {
            return BinlogPoint.earliest(c, server).toPosition();
        }
        if (start instanceof StartPosition.BinlogFile f) {
            return new BinlogPoint(f.file(), f.position(), server.mariadb() ? BinlogPoint.gtidAt(c, f.file(), f.position()) : "").toPosition();
        }
        if (start instanceof StartPosition.Current) {
            return check.checkReplication(c, server, serverId).toPosition();
        }
        throw new IllegalStateException("pipeline " + pipeline + ": start " + start + " is not a MySQL start position");
    }

    private List<FullLoad.LoadTable> plan(Connection c, List<SchemaReader.Listed> listed, SchemaReader reader) throws java.sql.SQLException {
        List<FullLoad.LoadTable> out = new ArrayList<>();
        for (SchemaReader.Listed l : listed) {
            TableSelector.Selection s = selector.select(l.id(), l.view());
            if (!s.included()) {
                continue;
            }
            if (l.view()) {
                LOG.warnf("pipeline %s: view %s is selected but views are not loaded yet; skipped", pipeline, l.id());
                continue;
            }
            Optional<TableSchema> schema = reader.read(c, l.id());
            if (schema.isPresent()) {
                out.add(new FullLoad.LoadTable(schema.get(), s.loadOrder(), l.estimatedRows(), WherePushdown.of(rules, l.id(), schema.get())));
            }
        }
        if (out.isEmpty()) {
            LOG.warnf("pipeline %s: no table of the source is selected by the table mappings; nothing to load", pipeline);
        }
        return out;
    }

    private void stream(Connections db, ServerInfo server, BinlogPosition resume, String startGtids, ChangeEmitter emitter) throws Exception {
        String gtid = resume != null ? resume.gtidSet() : startGtids;
        try (SchemaCache schemas = new SchemaCache(pipeline, db, new SchemaReader(!server.mariadb()), selector)) {
            BinlogChanges changes = new BinlogChanges(schemas, new Gtids(server.mariadb(), gtid), emitter, resume);
            BinlogReader r = new BinlogReader(pipeline, def.connection(), serverId, def.heartbeatInterval(), settings.reconnect());
            reader = r;
            if (stopped) {
                return;
            }
            r.run(changes, startGtids);
        }
    }

    /** The server's id for the current binlog connection (tests kill it to provoke a reconnect); -1 when none. */
    long binlogConnectionId() {
        BinlogReader r = reader;
        return r == null ? -1 : r.connectionId();
    }

    @Override
    public void stop() {
        stopped = true;
        FullLoad f = fullLoad;
        if (f != null) {
            f.stop();
        }
        BinlogReader r = reader;
        if (r != null) {
            r.stop();
        }
    }

}
