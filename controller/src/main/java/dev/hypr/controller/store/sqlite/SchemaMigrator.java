package dev.hypr.controller.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Creates the tables with explicit SQLite types. Hibernate's generated DDL is not used:
 * with SQLite it can create key columns without a type affinity, and the schema of a
 * file users keep across upgrades should be written down, versioned and migrated here.
 */
public final class SchemaMigrator {
    /** 1: objects and the change log; 2: events. */
    static final int VERSION = 2;

    private SchemaMigrator() {
    }

    public static void migrate(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            int current;
            try (var rs = s.executeQuery("PRAGMA user_version")) {
                current = rs.next() ? rs.getInt(1) : 0;
            }
            if (current > VERSION) {
                throw new IllegalStateException("hypr.db has schema version " + current
                        + ", newer than this hyprd understands (" + VERSION + "); use a newer hyprd");
            }
            if (current < 1) {
                s.execute("CREATE TABLE IF NOT EXISTS objects ("
                        + " object_key TEXT NOT NULL PRIMARY KEY,"
                        + " kind TEXT NOT NULL,"
                        + " name TEXT NOT NULL,"
                        + " uid TEXT NOT NULL UNIQUE,"
                        + " resource_version INTEGER NOT NULL,"
                        + " body TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS changes ("
                        + " revision INTEGER NOT NULL PRIMARY KEY,"
                        + " type TEXT NOT NULL,"
                        + " kind TEXT NOT NULL,"
                        + " name TEXT NOT NULL,"
                        + " body TEXT NOT NULL)");
            }
            if (current < 2) {
                // one row per event; a repeat updates its row (same object, type, reason, message)
                s.execute("CREATE TABLE IF NOT EXISTS events ("
                        + " sequence INTEGER NOT NULL PRIMARY KEY,"
                        + " kind TEXT NOT NULL,"
                        + " name TEXT NOT NULL,"
                        + " type TEXT NOT NULL,"
                        + " reason TEXT NOT NULL,"
                        + " message TEXT NOT NULL,"
                        + " first_seen INTEGER NOT NULL,"
                        + " last_seen INTEGER NOT NULL,"
                        + " count INTEGER NOT NULL,"
                        + " UNIQUE (kind, name, type, reason, message))");
                s.execute("CREATE INDEX IF NOT EXISTS events_by_last_seen ON events (last_seen)");
            }
            if (current < VERSION) {
                s.execute("PRAGMA user_version = " + VERSION);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the store: " + e.getMessage(), e);
        }
    }
}
