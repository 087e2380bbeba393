package dev.hypr.controller.store.sqlite;

import dev.hypr.controller.events.EventLog;
import dev.hypr.controller.events.EventRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Events in hypr.db's {@code events} table (SchemaMigrator, version 2), in plain JDBC: a folded
 * repeat is an upsert on the event's identity (object, type, reason, message), so each event is
 * one row however often it happened. One transaction per batch: one disk sync for a burst.
 */
public final class SqliteEventLog implements EventLog {
    private static final String COLUMNS = "sequence, kind, name, type, reason, message, first_seen, last_seen, count";

    private final DataSource dataSource;

    public SqliteEventLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void append(List<EventRecord> events) {
        if (events.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO events (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (kind, name, type, reason, message) DO UPDATE SET sequence = excluded.sequence,"
                    + " first_seen = excluded.first_seen, last_seen = excluded.last_seen, count = excluded.count")) {
                for (EventRecord e : events) {
                    upsert.setLong(1, e.sequence());
                    upsert.setString(2, e.kind());
                    upsert.setString(3, e.name());
                    upsert.setString(4, e.type().name());
                    upsert.setString(5, e.reason());
                    upsert.setString(6, e.message() == null ? "" : e.message());
                    upsert.setLong(7, e.firstSeen().toEpochMilli());
                    upsert.setLong(8, e.lastSeen().toEpochMilli());
                    upsert.setInt(9, e.count());
                    upsert.addBatch();
                }
                upsert.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write events: " + e.getMessage(), e);
        }
    }

    @Override
    public List<EventRecord> list() {
        return query("SELECT " + COLUMNS + " FROM events ORDER BY sequence");
    }

    @Override
    public List<EventRecord> list(String kind, String name) {
        return query("SELECT " + COLUMNS + " FROM events WHERE kind = ? AND name = ? ORDER BY sequence", kind, name);
    }

    @Override
    public int prune(Instant cutoff, int max) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement old = c.prepareStatement("DELETE FROM events WHERE last_seen < ?");
                PreparedStatement beyond = c.prepareStatement("DELETE FROM events WHERE sequence NOT IN"
                        + " (SELECT sequence FROM events ORDER BY sequence DESC LIMIT ?)")) {
            old.setLong(1, cutoff.toEpochMilli());
            int dropped = old.executeUpdate();
            beyond.setInt(1, max);
            return dropped + beyond.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prune events: " + e.getMessage(), e);
        }
    }

    private List<EventRecord> query(String sql, String... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                q.setString(i + 1, parameters[i]);
            }
            List<EventRecord> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new EventRecord(rs.getLong(1), rs.getString(2), rs.getString(3),
                            EventRecord.Type.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                            Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)), rs.getInt(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read events: " + e.getMessage(), e);
        }
    }
}
