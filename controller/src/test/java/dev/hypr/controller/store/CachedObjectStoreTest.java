package dev.hypr.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's semantics, against every back-end (SQLite's in-memory twin and a real etcd). */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.hypr.controller.store.StoreBackend#all")
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CachedObjectStoreTest {
    @Parameter
    StoreBackend backend;

    private StoreBackend.Space space;
    private ObjectStore store;
    /** The revision of the empty store: etcd's revisions are global, so tests count from here. */
    private long base;

    @BeforeEach
    void open() {
        space = backend.newSpace(100);
        base = space.base();
        store = newStore();
    }

    @AfterEach
    void closeSpace() {
        space.close();
    }

    private ObjectStore newStore() {
        return space.open(Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC), StoreLimits.NONE);
    }

    static ObjectNode vm(String name, int memory) {
        return Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"rootfs\":\"/r\",\"memoryMiB\":" + memory + "}}");
    }

    private ApplyResult applyOne(ObjectNode o) {
        return store.apply(List.of(o), false).get(0);
    }

    @Test
    void createAssignsUidGenerationAndRevision() {
        ApplyResult r = applyOne(vm("web", 256));
        assertEquals(ApplyOutcome.CREATED, r.outcome());
        ObjectNode o = r.object();
        assertEquals(36, Objects.uid(o).length());
        assertEquals(1, Objects.generation(o));
        assertEquals(base + 1, Objects.resourceVersion(o));
        assertEquals("2026-11-29T12:00:00Z", o.path("metadata").path("creationTimestamp").asText());
        assertEquals(base + 1, store.revision());
    }

    @Test
    void reapplyingTheSameObjectIsUnchangedAndWritesNothing() {
        applyOne(vm("web", 256));
        ApplyResult again = applyOne(vm("web", 256));
        assertEquals(ApplyOutcome.UNCHANGED, again.outcome());
        assertEquals(base + 1, store.revision());
        assertEquals(base + 1, space.backendRevision());
    }

    @Test
    void generationBumpsOnlyOnSpecChange() {
        applyOne(vm("web", 256));
        ObjectNode relabelled = vm("web", 256);
        ((ObjectNode) relabelled.path("metadata").path("labels")).put("tier", "front");
        ApplyResult labels = applyOne(relabelled);
        assertEquals(ApplyOutcome.CONFIGURED, labels.outcome());
        assertEquals(1, Objects.generation(labels.object()));
        assertEquals(base + 2, Objects.resourceVersion(labels.object()));

        store.updateStatus(Kind.VM, "web", Json.parseObject("{\"phase\":\"Running\"}"), 0);
        assertEquals(1, Objects.generation(store.get(Kind.VM, "web").orElseThrow()));

        ApplyResult spec = applyOne(vm("web", 512));
        assertEquals(2, Objects.generation(spec.object()));
        assertEquals(base + 4, Objects.resourceVersion(spec.object()));
        assertEquals("Running", spec.object().path("status").path("phase").asText(), "apply never touches status");
    }

    @Test
    void aVmsNodeBindingSurvivesAReapplyThatOmitsItAndAnEmptyNameUnbinds() {
        ObjectNode bound = vm("web", 256);
        ((ObjectNode) bound.get("spec")).put("nodeName", "node-a");
        applyOne(bound);
        assertEquals(ApplyOutcome.UNCHANGED, applyOne(vm("web", 256)).outcome(), "the user's file never had the binding");
        assertEquals("node-a", store.get(Kind.VM, "web").orElseThrow().path("spec").path("nodeName").asText());

        ObjectNode unbind = vm("web", 256);
        ((ObjectNode) unbind.get("spec")).put("nodeName", "");
        assertEquals(ApplyOutcome.CONFIGURED, applyOne(unbind).outcome());
        assertFalse(store.get(Kind.VM, "web").orElseThrow().path("spec").has("nodeName"));
    }

    @Test
    void applyIgnoresStatusAndServerOwnedMetadata() {
        ObjectNode o = vm("web", 256);
        o.putObject("status").put("phase", "Running");
        ((ObjectNode) o.get("metadata")).put("uid", "forged").put("generation", 99);
        ObjectNode stored = applyOne(o).object();
        assertFalse(stored.has("status"));
        assertNotEquals("forged", Objects.uid(stored));
        assertEquals(1, Objects.generation(stored));
    }

    @Test
    void staleResourceVersionIsAConflict() {
        applyOne(vm("web", 256));
        applyOne(vm("web", 512));
        ObjectNode stale = vm("web", 1024);
        ((ObjectNode) stale.get("metadata")).put("resourceVersion", Long.toString(base + 1));
        StoreException e = assertThrows(StoreException.class, () -> applyOne(stale));
        assertEquals(StoreException.Reason.CONFLICT, e.reason());
        assertEquals(512, store.get(Kind.VM, "web").orElseThrow().path("spec").path("memoryMiB").asInt());

        assertThrows(StoreException.class, () -> store.updateStatus(Kind.VM, "web", Json.parseObject("{}"), base + 1));
    }

    @Test
    void applyIsAllOrNothing() {
        applyOne(vm("a", 256));
        ObjectNode stale = vm("a", 999);
        ((ObjectNode) stale.get("metadata")).put("resourceVersion", "77");
        assertThrows(StoreException.class, () -> store.apply(List.of(vm("b", 256), stale), false));
        assertTrue(store.get(Kind.VM, "b").isEmpty(), "first object of a failed batch must not be stored");
        assertEquals(base + 1, store.revision());
    }

    @Test
    void dryRunReportsOutcomesButStoresNothing() {
        List<ApplyResult> r = store.apply(List.of(vm("web", 256)), true);
        assertEquals(ApplyOutcome.CREATED, r.get(0).outcome());
        assertTrue(store.get(Kind.VM, "web").isEmpty());
        assertEquals(base, store.revision());
        assertEquals(base, space.backendRevision());
    }

    @Test
    void deleteWithFinalizersWaitsForThem() {
        ObjectNode o = vm("web", 256);
        ((ObjectNode) o.get("metadata")).putArray("finalizers").add("hypr.dev/vm");
        applyOne(o);
        ObjectNode marked = store.delete(Kind.VM, "web", 0).orElseThrow();
        assertTrue(Objects.isBeingDeleted(marked));
        // a second delete is idempotent
        assertEquals(Objects.resourceVersion(marked), Objects.resourceVersion(store.delete(Kind.VM, "web", 0).orElseThrow()));
        // spec can no longer change
        assertThrows(StoreException.class, () -> applyOne(vm("web", 512)));
        assertTrue(store.updateFinalizers(Kind.VM, "web", List.of(), 0).isEmpty());
        assertTrue(store.get(Kind.VM, "web").isEmpty());
    }

    @Test
    void deletingAnOwnerCollectsItsDependents() {
        ObjectNode owner = applyOne(Json.parseObject(
                "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Stack\",\"metadata\":{\"name\":\"shop\"},\"spec\":{}}")).object();
        ObjectNode child = vm("shop-web", 256);
        ((ObjectNode) child.get("metadata")).putArray("ownerReferences").addObject()
                .put("apiVersion", Kind.API_VERSION).put("kind", "Stack").put("name", "shop").put("uid", Objects.uid(owner));
        ObjectNode guarded = vm("shop-db", 256);
        ((ObjectNode) guarded.get("metadata")).putArray("ownerReferences").addObject()
                .put("apiVersion", Kind.API_VERSION).put("kind", "Stack").put("name", "shop").put("uid", Objects.uid(owner));
        ((ObjectNode) guarded.get("metadata")).putArray("finalizers").add("hypr.dev/vm");
        store.apply(List.of(child, guarded, vm("unrelated", 256)), false);

        store.delete(Kind.STACK, "shop", 0);
        assertTrue(store.get(Kind.VM, "shop-web").isEmpty());
        assertTrue(Objects.isBeingDeleted(store.get(Kind.VM, "shop-db").orElseThrow()), "finalizers still hold it");
        assertTrue(store.get(Kind.VM, "unrelated").isPresent());
    }

    @Test
    void watchResumesFromARevisionWithoutGapsOrDuplicates() throws Exception {
        applyOne(vm("a", 256));
        long listedAt = store.revision();
        applyOne(vm("b", 256));
        applyOne(vm("a", 512));
        List<Change> seen = new ArrayList<>();
        try (AutoCloseable w = store.watch(Kind.VM, listedAt, seen::add)) {
            store.delete(Kind.VM, "b", 0);
        }
        applyOne(vm("c", 256)); // after close: not delivered
        assertEquals(List.of(base + 2, base + 3, base + 4), seen.stream().map(Change::revision).toList());
        assertEquals(List.of(ChangeType.ADDED, ChangeType.MODIFIED, ChangeType.DELETED), seen.stream().map(Change::type).toList());
    }

    @Test
    void watchFromZeroStartsWithCurrentObjects() throws Exception {
        applyOne(vm("a", 256));
        applyOne(Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Network\",\"metadata\":{\"name\":\"n\"},\"spec\":{}}"));
        List<Change> seen = new ArrayList<>();
        try (AutoCloseable w = store.watch(Kind.VM, 0, seen::add)) {
            assertEquals(1, seen.size());
            assertEquals(ChangeType.ADDED, seen.get(0).type());
        }
    }

    @Test
    void watchFromAPrunedRevisionIsExpired() {
        StoreBackend.Space smallSpace = backend.newSpace(3);
        try {
            ObjectStore small = smallSpace.open(Clock.systemUTC(), StoreLimits.NONE);
            long from = smallSpace.base() + 2;
            for (int i = 0; i < 10; i++) {
                small.apply(List.of(vm("v" + i, 256)), false);
            }
            StoreException e = assertThrows(StoreException.class, () -> small.watch(null, from, c -> { }));
            assertEquals(StoreException.Reason.EXPIRED, e.reason());
        } finally {
            smallSpace.close();
        }
    }

    @Test
    void aWatchResumesWhereItsListEndedWithAFreshStore() throws Exception {
        applyOne(vm("a", 256));
        applyOne(vm("b", 256));
        long listedAt = store.revision();
        applyOne(vm("a", 512));
        store.delete(Kind.VM, "b", 0);
        List<Change> seen = new ArrayList<>();
        // a store opened later (another hyprd, or this one restarted) still answers from that revision
        try (AutoCloseable w = newStore().watch(Kind.VM, listedAt, seen::add)) {
            assertEquals(List.of(ChangeType.MODIFIED, ChangeType.DELETED), seen.stream().map(Change::type).toList());
            assertEquals(512, seen.get(0).object().path("spec").path("memoryMiB").asInt());
            assertEquals("b", seen.get(1).key().name());
        }
    }

    @Test
    void stateSurvivesARestartFromPersistence() {
        applyOne(vm("a", 256));
        applyOne(vm("a", 512));
        ObjectStore reopened = newStore();
        assertEquals(base + 2, reopened.revision());
        assertEquals(512, reopened.get(Kind.VM, "a").orElseThrow().path("spec").path("memoryMiB").asInt());
    }

    @Test
    void readersGetCopies() {
        applyOne(vm("a", 256));
        ((ObjectNode) store.get(Kind.VM, "a").orElseThrow().get("spec")).put("memoryMiB", 1);
        assertEquals(256, store.get(Kind.VM, "a").orElseThrow().path("spec").path("memoryMiB").asInt());
    }

    @Test
    void listFiltersByKindAndPredicate() {
        applyOne(vm("a", 256));
        applyOne(vm("b", 512));
        ObjectList l = store.list(Kind.VM, o -> o.path("spec").path("memoryMiB").asInt() > 300);
        assertEquals(1, l.items().size());
        assertEquals(base + 2, l.revision());
        assertEquals(0, store.list(Kind.NETWORK, null).items().size());
    }
}
