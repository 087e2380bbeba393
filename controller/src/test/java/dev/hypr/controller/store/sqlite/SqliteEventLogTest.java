package dev.hypr.controller.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.DatabaseUrl;
import dev.hypr.controller.events.EventRecord;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.events.EventRetention;
import dev.hypr.controller.events.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The event log in a real SQLite file, and the migration of a database made before it existed. */
class SqliteEventLogTest {
    @TempDir
    Path dir;

    private SQLiteDataSource dataSource;
    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));

    @BeforeEach
    void open() {
        dataSource = new SQLiteDataSource();
        dataSource.setUrl(DatabaseUrl.forFile(dir.resolve("hypr.db")));
    }

    private static EventRecord event(long seq, String name, String reason, Instant at, int count) {
        return new EventRecord(seq, "VM", name, EventRecord.Type.Warning, reason, "msg " + reason, at, at, count);
    }

    @Test
    void aRepeatReplacesItsRowAndListsAreInSequenceOrder() {
        SchemaMigrator.migrate(dataSource);
        SqliteEventLog log = new SqliteEventLog(dataSource);
        Instant t = clock.instant();
        log.append(List.of(event(1, "web", "VMMExited", t, 1), event(2, "db", "Booted", t, 1)));
        log.append(List.of(new EventRecord(3, "VM", "web", EventRecord.Type.Warning, "VMMExited", "msg VMMExited", t,
                t.plusSeconds(5), 2)));
        List<EventRecord> all = log.list();
        assertEquals(List.of(2L, 3L), all.stream().map(EventRecord::sequence).toList());
        EventRecord web = log.list("VM", "web").get(0);
        assertEquals(2, web.count());
        assertEquals(t, web.firstSeen());
        assertEquals(t.plusSeconds(5), web.lastSeen());
        assertEquals("msg VMMExited", web.message());
        assertEquals(EventRecord.Type.Warning, web.type());
        assertTrue(log.list("Network", "web").isEmpty());
    }

    @Test
    void pruneDropsOlderThanTheCutoffThenAllButTheNewest() {
        SchemaMigrator.migrate(dataSource);
        SqliteEventLog log = new SqliteEventLog(dataSource);
        Instant t = clock.instant();
        for (int i = 1; i <= 10; i++) {
            log.append(List.of(event(i, "vm" + i, "Booted", t.plusSeconds(i), 1)));
        }
        assertEquals(3, log.prune(t.plusSeconds(4), 100), "last seen at +1, +2, +3 s");
        assertEquals(4, log.prune(t, 3));
        assertEquals(List.of("vm8", "vm9", "vm10"), log.list().stream().map(EventRecord::name).toList());
    }

    @Test
    void aRecorderOverTheFileSurvivesARestartWithCounts() throws Exception {
        SchemaMigrator.migrate(dataSource);
        EventRetention retention = new EventRetention(1000, Duration.ofHours(1));
        EventRecorder before = new EventRecorder(new SqliteEventLog(dataSource), retention, clock);
        before.warning("VM", "web", "VMMExited", "the VMM process exited unexpectedly");
        before.warning("VM", "web", "VMMExited", "the VMM process exited unexpectedly");
        assertTrue(before.flush(Duration.ofSeconds(5)));
        // no close(): as after a kill -9, only what the writer already wrote counts

        SQLiteDataSource reopened = new SQLiteDataSource();
        reopened.setUrl(DatabaseUrl.forFile(dir.resolve("hypr.db")));
        EventRecorder after = new EventRecorder(new SqliteEventLog(reopened), retention, clock);
        List<EventRecord> kept = after.list(e -> e.name().equals("web"));
        assertEquals(1, kept.size());
        assertEquals(2, kept.get(0).count());
        clock.advance(Duration.ofHours(2));
        assertTrue(after.list(e -> true).isEmpty(), "beyond the TTL");
        EventRecorder later = new EventRecorder(new SqliteEventLog(reopened), retention, clock);
        assertTrue(later.list(e -> true).isEmpty());
        assertTrue(new SqliteEventLog(reopened).list().isEmpty(), "pruned from the file at start");
    }

    @Test
    void aVersionOneDatabaseGetsTheEventsTableAndKeepsItsObjects() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // the schema as SchemaMigrator version 1 wrote it
            s.execute("CREATE TABLE objects (object_key TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL,"
                    + " name TEXT NOT NULL, uid TEXT NOT NULL UNIQUE, resource_version INTEGER NOT NULL, body TEXT NOT NULL)");
            s.execute("CREATE TABLE changes (revision INTEGER NOT NULL PRIMARY KEY, type TEXT NOT NULL,"
                    + " kind TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL)");
            s.execute("INSERT INTO objects VALUES ('VM/web', 'VM', 'web', 'u1', 7, '{}')");
            s.execute("PRAGMA user_version = 1");
        }
        SchemaMigrator.migrate(dataSource);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                assertTrue(rs.next());
                assertEquals(SchemaMigrator.VERSION, rs.getInt(1));
                assertEquals(2, SchemaMigrator.VERSION);
            }
            try (ResultSet rs = s.executeQuery("SELECT resource_version FROM objects WHERE object_key = 'VM/web'")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getLong(1));
            }
        }
        SqliteEventLog log = new SqliteEventLog(dataSource);
        log.append(List.of(event(1, "web", "Booted", clock.instant(), 1)));
        assertEquals(1, log.list().size());
        SchemaMigrator.migrate(dataSource); // again: a no-op
        assertEquals(1, log.list().size());
    }
}
