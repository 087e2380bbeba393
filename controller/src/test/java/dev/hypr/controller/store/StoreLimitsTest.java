package dev.hypr.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's object and byte limits: refused before the write, nothing changed, deletes always pass. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.hypr.controller.store.StoreBackend#all")
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StoreLimitsTest {
    @Parameter
    StoreBackend backend;

    private StoreBackend.Space space;

    @BeforeEach
    void open() {
        space = backend.newSpace(100);
    }

    @AfterEach
    void closeSpace() {
        space.close();
    }

    private ObjectStore store(long maxObjects, long maxBytes) {
        return space.open(Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC), new StoreLimits(maxObjects, maxBytes));
    }

    private static StoreUsage usage(ObjectStore store) {
        return store instanceof CachedObjectStore c ? c.usage() : ((dev.hypr.controller.store.etcd.EtcdObjectStore) store).usage();
    }

    private static ObjectNode vm(String name, String envValue) {
        ObjectNode o = CachedObjectStoreTest.vm(name, 256);
        ((ObjectNode) o.path("spec")).putArray("env").addObject().put("name", "A").put("value", envValue);
        return o;
    }

    private static ObjectNode status(String message) {
        return Json.MAPPER.createObjectNode().put("phase", "Running").put("message", message);
    }

    @Test
    void theObjectAfterTheLimitIsRefusedAndNothingChanges() {
        ObjectStore store = store(3, Long.MAX_VALUE);
        store.apply(List.of(vm("a", "1"), vm("b", "1"), vm("c", "1")), false);
        long revision = store.revision();
        StoreException e = assertThrows(StoreException.class, () -> store.apply(List.of(vm("d", "1")), false));
        assertEquals(StoreException.Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("holds 3 objects") && e.getMessage().contains("hypr.store.max-objects) is 3"), e.getMessage());
        assertEquals(revision, store.revision());
        assertEquals(3, store.list(Kind.VM, null).items().size());
        // a dry run says the same
        assertThrows(StoreException.class, () -> store.apply(List.of(vm("d", "1")), true));
        // updates of existing objects still pass, and a delete makes room
        store.apply(List.of(vm("a", "2")), false);
        store.delete(Kind.VM, "a", 0);
        store.apply(List.of(vm("d", "1")), false);
        assertEquals(3, usage(store).objects());
    }

    @Test
    void bytesCountJsonPlusTheTreeAndAreRefusedOverTheLimit() {
        long one = ObjectSize.of(vm("a", "x".repeat(1000)));
        assertTrue(one > 1000 + 10 * ObjectSize.BYTES_PER_NODE, "counts the tree's nodes: " + one);
        ObjectStore store = store(1000, 5000);
        store.apply(List.of(vm("a", "x".repeat(1000))), false);
        long used = usage(store).bytes();
        StoreException e = assertThrows(StoreException.class,
                () -> store.apply(List.of(vm("b", "x".repeat(1000)), vm("c", "x".repeat(1000)), vm("d", "x".repeat(1000))), false));
        assertEquals(StoreException.Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("hypr.store.max-bytes"), e.getMessage());
        assertEquals(-1, e.objectIndex(), "about the whole request, not one object");
        assertEquals(1, usage(store).objects());
        assertEquals(used, usage(store).bytes());
        // a write that shrinks the store passes even over the limit
        store.apply(List.of(vm("a", "small")), false);
        assertTrue(usage(store).bytes() < used);
    }

    @Test
    void statusGrowthCountsButControllersHaveAReserve() {
        ObjectStore probe = store(1000, Long.MAX_VALUE);
        long size = ObjectSize.of(probe.apply(List.of(vm("a", "x".repeat(5000))), false).get(0).object());
        // the same persistence, loaded again by a store whose limit is exactly what it holds
        ObjectStore store = space.open(Clock.systemUTC(), new StoreLimits(1000, size));
        assertEquals(size, usage(store).bytes(), "usage is recomputed from what is loaded");
        // within the limit plus 10 %: a controller may still report
        ObjectNode withStatus = store.updateStatus(Kind.VM, "a", status("y".repeat(50)), 0);
        assertEquals("Running", withStatus.path("status").path("phase").asText());
        // an apply that grows the store is refused (it is over its limit for users)
        assertThrows(StoreException.class, () -> store.apply(List.of(vm("b", "v")), false));
        assertEquals(1, usage(store).objects());
        // status beyond the reserve is refused too
        StoreException e = assertThrows(StoreException.class,
                () -> store.updateStatus(Kind.VM, "a", status("y".repeat(100_000)), 0));
        assertTrue(e.getMessage().contains("controllers' reserve"), e.getMessage());
        // and a delete always passes
        store.delete(Kind.VM, "a", 0);
        assertEquals(0, usage(store).objects());
        assertEquals(0, usage(store).bytes());
    }
}
