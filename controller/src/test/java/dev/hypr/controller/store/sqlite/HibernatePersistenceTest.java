package dev.hypr.controller.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.store.CachedObjectStore;
import dev.hypr.controller.store.ChangeType;
import dev.hypr.controller.store.ObjectStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store against a real SQLite file through Hibernate. */
@QuarkusTest
class HibernatePersistenceTest {
    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void clean() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM objects");
            s.execute("DELETE FROM changes");
        }
    }

    private ObjectStore open(int retained) {
        return new CachedObjectStore(new HibernatePersistence(em, retained), Clock.systemUTC());
    }

    private static ObjectNode vm(String name, int mem) {
        return Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"rootfs\":\"/r\",\"memoryMiB\":" + mem + "}}");
    }

    @Test
    void keysAndRevisionsAreStoredTypedAndNeverNull() throws Exception {
        ObjectStore store = open(100);
        store.apply(List.of(vm("a", 256), vm("b", 256)), false);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT typeof(revision), revision FROM changes ORDER BY revision")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertEquals("integer", rs.getString(1));
                    assertEquals(n, rs.getLong(2));
                }
                assertEquals(2, n);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM objects WHERE object_key IS NULL OR uid IS NULL")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
        }
    }

    @Test
    void aReopenedStoreSeesEveryCommittedWrite() {
        ObjectStore store = open(100);
        store.apply(List.of(vm("a", 256)), false);
        store.apply(List.of(vm("a", 512)), false);
        store.updateStatus(Kind.VM, "a", Json.parseObject("{\"phase\":\"Running\"}"), 0);
        store.apply(List.of(vm("gone", 256)), false);
        store.delete(Kind.VM, "gone", 0);

        ObjectStore reopened = open(100);
        assertEquals(store.revision(), reopened.revision());
        ObjectNode a = reopened.get(Kind.VM, "a").orElseThrow();
        assertEquals(512, a.path("spec").path("memoryMiB").asInt());
        assertEquals(2, a.path("metadata").path("generation").asInt());
        assertEquals("Running", a.path("status").path("phase").asText());
        assertTrue(reopened.get(Kind.VM, "gone").isEmpty());
    }

    @Test
    void changeLogIsPrunedButWatchesResumeFromWhatIsKept() throws Exception {
        ObjectStore store = open(5);
        for (int i = 0; i < 12; i++) {
            store.apply(List.of(vm("v" + i, 256)), false);
        }
        HibernatePersistence p = new HibernatePersistence(em, 5);
        assertEquals(8, p.oldestRetainedRevision());
        var changes = p.changesSince(9);
        assertEquals(List.of(10L, 11L, 12L), changes.stream().map(c -> c.revision()).toList());
        assertEquals(ChangeType.ADDED, changes.get(0).type());
    }
}
