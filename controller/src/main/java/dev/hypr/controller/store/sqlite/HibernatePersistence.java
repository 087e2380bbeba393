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
import java.util.List;

/** The store's objects and change log in SQLite, through Hibernate ORM. */
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
                em.createQuery("select o from ObjectRow o", ObjectRow.class).getResultList().stream()
                        .map(r -> Json.parseObject(r.body))
                        .toList());
    }

    @Override
    public long loadRevision() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Long max = em.createQuery("select max(c.revision) from ChangeRow c", Long.class).getSingleResult();
            return max == null ? 0L : max;
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
            em.createQuery("delete from ChangeRow c where c.revision <= :cut")
                    .setParameter("cut", newest - retainedChanges)
                    .executeUpdate();
        });
    }

    @Override
    public List<Change> changesSince(long fromRevision) {
        return QuarkusTransaction.requiringNew().call(() ->
                em.createQuery("select c from ChangeRow c where c.revision > :from order by c.revision", ChangeRow.class)
                        .setParameter("from", fromRevision)
                        .getResultList().stream()
                        .map(HibernatePersistence::toChange)
                        .toList());
    }

    @Override
    public long oldestRetainedRevision() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Long min = em.createQuery("select min(c.revision) from ChangeRow c", Long.class).getSingleResult();
            return min == null ? 0L : min;
        });
    }

    private static Change toChange(ChangeRow r) {
        Kind kind = Kind.fromKindName(r.kind).orElseThrow();
        return new Change(r.revision, ChangeType.valueOf(r.type), new ObjectKey(kind, r.name), Json.parseObject(r.body));
    }
}
