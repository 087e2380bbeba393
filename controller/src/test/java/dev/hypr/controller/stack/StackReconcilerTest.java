package dev.hypr.controller.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.store.CachedObjectStore;
import dev.hypr.controller.store.InMemoryPersistence;
import dev.hypr.controller.store.Objects;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Stack controller against a real (in-memory) store: objects made, owned, kept and garbage-collected. */
class StackReconcilerTest {
    private final CachedObjectStore store = new CachedObjectStore(new InMemoryPersistence(100), Clock.systemUTC());
    private final EventRecorder events = new EventRecorder();
    private final StackReconciler reconciler = new StackReconciler();

    StackReconcilerTest() {
        reconciler.store = store;
        reconciler.events = events;
    }

    private void applyStack(String webDebug) {
        String json = """
                {"apiVersion":"hypr.dev/v1alpha1","kind":"Stack","metadata":{"name":"shop"},"spec":{
                  "services":[
                    {"name":"db","rootfs":"/srv/db.img","args":["postgres"],"aliases":["database","Postgres_DB"],
                     "volumes":[{"name":"pgdata","volumeRef":"pgdata","mountPath":"/var/lib/postgresql/data"}]},
                    {"name":"web","rootfs":"/srv/web.img","args":["serve"],"replicas":2,
                     "env":[{"name":"DEBUG","value":"%s"}],"ports":[{"guestPort":8000}],"labels":{"tier":"front"},
                     "volumes":[{"name":"cache","volumeRef":"web-scratch-1","mountPath":"/cache"}],
                     "dependsOn":["db"],"dependencies":[{"service":"db","condition":"Healthy"}]}],
                  "volumes":[{"name":"pgdata"},{"name":"web-scratch-1","scratch":true,"sizeMiB":64}]}}
                """.formatted(webDebug);
        store.apply(List.of(Json.parseObject(json)), false);
    }

    /** What the VM controller would write for a VM that runs its current spec, ready and healthy. */
    private void runsHealthy(String vm) {
        ObjectNode o = store.get(Kind.VM, vm).orElseThrow();
        ObjectNode status = Json.MAPPER.createObjectNode().put("phase", "Running").put("observedGeneration", Objects.generation(o));
        status.putArray("conditions").add(Json.MAPPER.createObjectNode().put("type", "Ready").put("status", "True"))
                .add(Json.MAPPER.createObjectNode().put("type", "Healthy").put("status", "True"));
        status.putArray("forwards").addObject().put("hostIP", "127.0.0.1").put("hostPort", 40123).put("guestPort", 8000).put("protocol", "TCP");
        store.updateStatus(Kind.VM, vm, status, 0);
    }

    private List<String> names(Kind kind) {
        return store.list(kind, null).items().stream().map(o -> o.path("metadata").path("name").asText()).sorted().toList();
    }

    private Map<String, String> resourceVersions() {
        Map<String, String> out = new TreeMap<>();
        store.list(Kind.VM, null).items().forEach(o -> out.put(o.path("metadata").path("name").asText(), o.path("metadata").path("resourceVersion").asText()));
        return out;
    }

    private JsonNode status() {
        return store.get(Kind.STACK, "shop").orElseThrow().path("status");
    }

    @Test
    void aStackBecomesOwnedObjectsConvergesAndIsGarbageCollectedButForItsNamedVolume() {
        applyStack("false");
        reconciler.reconcile("shop");
        String uid = Objects.uid(store.get(Kind.STACK, "shop").orElseThrow());
        assertEquals(List.of("shop-db-1"), names(Kind.VM), "web waits for db to be healthy");
        ObjectNode db = store.get(Kind.VM, "shop-db-1").orElseThrow();
        assertEquals(uid, db.at("/metadata/ownerReferences/0/uid").asText());
        assertTrue(db.at("/metadata/ownerReferences/0/controller").asBoolean());
        assertEquals("db,database,postgres_db", db.at("/metadata/annotations/hypr.dev~1dns-names").asText());
        assertEquals("shop-default", db.at("/spec/network").asText());
        assertEquals("shop-pgdata", db.at("/spec/volumes/0/volumeRef").asText());
        assertEquals(List.of("shop-default"), names(Kind.NETWORK));
        ObjectNode pgdata = store.get(Kind.VOLUME, "shop-pgdata").orElseThrow();
        assertFalse(pgdata.path("metadata").has("ownerReferences"), "named volumes outlive the stack");
        assertEquals("named", pgdata.at("/metadata/labels/hypr.dev~1volume-kind").asText());
        assertEquals("0/2", status().path("servicesReady").asText());
        assertEquals("db to be healthy", status().at("/services/1/waitingFor").asText());

        runsHealthy("shop-db-1");
        reconciler.reconcile("shop");
        assertEquals(List.of("shop-db-1", "shop-web-1", "shop-web-2"), names(Kind.VM));
        ObjectNode web = store.get(Kind.VM, "shop-web-2").orElseThrow();
        assertEquals("front", web.at("/metadata/labels/tier").asText());
        assertEquals("web", web.at("/metadata/labels/hypr.dev~1service").asText());
        ObjectNode scratch = store.get(Kind.VOLUME, "shop-web-2-web-scratch-1").orElseThrow();
        assertEquals(Objects.uid(web), scratch.at("/metadata/ownerReferences/0/uid").asText(), "a scratch volume goes with its VM");
        assertEquals(64, scratch.at("/spec/sizeMiB").asInt());

        runsHealthy("shop-web-1");
        runsHealthy("shop-web-2");
        reconciler.reconcile("shop");
        assertEquals("2/2", status().path("servicesReady").asText());
        assertEquals("Running", status().path("phase").asText());
        assertEquals(40123, status().at("/services/1/ports/0/hostPort").asInt());
        assertTrue(events.list(e -> e.reason().equals("Ready")).size() == 1);

        // re-applying the same stack writes no VM at all
        Map<String, String> before = resourceVersions();
        applyStack("false");
        reconciler.reconcile("shop");
        assertEquals(before, resourceVersions());

        // one service's environment changes: exactly its VMs get the new spec
        applyStack("true");
        reconciler.reconcile("shop");
        Map<String, String> after = resourceVersions();
        assertEquals(before.get("shop-db-1"), after.get("shop-db-1"));
        assertFalse(before.get("shop-web-1").equals(after.get("shop-web-1")));
        assertEquals(2, Objects.generation(store.get(Kind.VM, "shop-web-1").orElseThrow()));
        assertEquals("true", store.get(Kind.VM, "shop-web-1").orElseThrow().at("/spec/env/0/value").asText());

        store.delete(Kind.STACK, "shop", 0);
        assertEquals(List.of(), names(Kind.VM));
        assertEquals(List.of(), names(Kind.NETWORK));
        assertEquals(List.of("shop-pgdata"), names(Kind.VOLUME));
    }

    @Test
    void aRestartAnnotationRecreatesExactlyThatServicesVmsAndIsRecordedOnThem() {
        applyStack("false");
        reconciler.reconcile("shop");
        runsHealthy("shop-db-1");
        reconciler.reconcile("shop");
        runsHealthy("shop-web-1");
        runsHealthy("shop-web-2");
        reconciler.reconcile("shop");
        Map<String, String> uids = uids();

        ObjectNode stack = store.get(Kind.STACK, "shop").orElseThrow();
        ((ObjectNode) stack.get("metadata")).putObject("annotations").put("restart.hypr.dev/web", "2026-12-03T09:41:07.120Z");
        store.apply(List.of(stack), false);
        reconciler.reconcile("shop"); // deletes web's VMs: their spec is unchanged, so a spec write would not restart them
        assertEquals(List.of("shop-db-1"), names(Kind.VM));
        assertEquals(2, events.list(e -> e.reason().equals("RecreatingVM")).size());
        reconciler.reconcile("shop");
        Map<String, String> after = uids();
        assertEquals(uids.get("shop-db-1"), after.get("shop-db-1"), "db is not restarted");
        assertFalse(uids.get("shop-web-1").equals(after.get("shop-web-1")));
        assertFalse(uids.get("shop-web-2").equals(after.get("shop-web-2")));
        assertEquals("2026-12-03T09:41:07.120Z",
                store.get(Kind.VM, "shop-web-1").orElseThrow().at("/metadata/annotations/restart.hypr.dev~1web").asText());

        // the same value again, on the next pass: nothing more is recreated
        runsHealthy("shop-web-1");
        runsHealthy("shop-web-2");
        reconciler.reconcile("shop");
        assertEquals(after, uids());
    }

    private Map<String, String> uids() {
        Map<String, String> out = new TreeMap<>();
        store.list(Kind.VM, null).items().forEach(o -> out.put(o.path("metadata").path("name").asText(), Objects.uid(o)));
        return out;
    }
}
