package dev.hypr.controller.store.sqlite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.store.Change;
import dev.hypr.controller.store.ChangeType;
import dev.hypr.controller.store.ObjectKey;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.Persistence;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.List;

/**
 * The store's objects and change log in SQLite, through Hibernate ORM. Reads and the log trim are
 * plain SQL on our own schema (SchemaMigrator owns it): HQL would start Hibernate's ANTLR parser
 * on hyprd's start-up path (~60 ms) for queries that gain nothing from it.
 */
public final class HibernatePersistence implements Persistence {
    private final EntityManager em;
    private final int retainedChanges;

    public HibernatePersistence(EntityManager em, int retainedChanges) {
        this.em = em;
        this.retainedChanges = retainedChanges;
    }

    @Override
    public List<ObjectNode> loadObjects() {
        return QuarkusTransaction.requiringNew().call(() ->
                // streamed: each row's text is dropped once parsed, so loading never holds the
                // whole store twice (text and trees)
                em.createNativeQuery("select body from objects", String.class).getResultStream()
                        .map(body -> Json.parseObject((String) body))
                        .toList());
    }

    @Override
    public long loadRevision() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object max = em.createNativeQuery("select max(revision) from changes").getSingleResult();
            return max == null ? 0L : ((Number) max).longValue();
        });
    }

    @Override
    public void commit(List<Change> changes) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (Change c : changes) {
                String id = c.key().toString();
                if (c.type() == ChangeType.DELETED) {
                    ObjectRow row = em.find(ObjectRow.class, id);
                    if (row != null) {
                        em.remove(row);
                    }
                } else {
                    ObjectRow row = em.find(ObjectRow.class, id);
                    boolean isNew = row == null;
                    if (isNew) {
                        row = new ObjectRow();
                        row.key = id;
                        row.kind = c.key().kind().kindName();
                        row.name = c.key().name();
                    }
                    row.uid = Objects.uid(c.object());
                    row.resourceVersion = c.revision();
                    row.body = Json.write(c.object());
                    if (isNew) {
                        em.persist(row);
                    }
                }
                ChangeRow log = new ChangeRow();
                log.revision = c.revision();
                log.type = c.type().name();
                log.kind = c.key().kind().kindName();
                log.name = c.key().name();
                log.body = Json.write(c.object());
                em.persist(log);
            }
            // Flush first so removed rows are gone before a re-created object with the same
            // key is inserted (Hibernate orders inserts before deletes otherwise).
            em.flush();
            long newest = changes.get(changes.size() - 1).revision();
            em.createNativeQuery("delete from changes where revision <= ?1")
                    .setParameter(1, newest - retainedChanges)
                    .executeUpdate();
        });
    }

    @Override
    public List<Change> changesSince(long fromRevision) {
        return QuarkusTransaction.requiringNew().call(() ->
                rows(em.createNativeQuery("select * from changes where revision > ?1 order by revision", ChangeRow.class)
                        .setParameter(1, fromRevision)).stream()
                        .map(row -> toChange((ChangeRow) row))
                        .toList());
    }

    @Override
    public long oldestRetainedRevision() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object min = em.createNativeQuery("select min(revision) from changes").getSingleResult();
            return min == null ? 0L : ((Number) min).longValue();
        });
    }

    private static List<?> rows(Query query) {
        return query.getResultList();
    }

    private static Change toChange(ChangeRow r) {
        Kind kind = Kind.fromKindName(r.kind).orElseThrow();
        return new Change(r.revision, ChangeType.valueOf(r.type), new ObjectKey(kind, r.name), Json.parseObject(r.body));
    }
}
