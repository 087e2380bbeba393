package dev.hypr.controller.net.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.events.EventRecord;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.store.CachedObjectStore;
import dev.hypr.controller.store.InMemoryPersistence;
import dev.hypr.controller.store.ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForwardReconcilerTest {
    private final ObjectStore store = new CachedObjectStore(new InMemoryPersistence(100), Clock.systemUTC());
    private final FakeForwarder forwarder = new FakeForwarder();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final EventRecorder events = new EventRecorder();
    /** The ephemeral ports the picker hands out, in order. */
    private final List<Integer> picks = new ArrayList<>(List.of(40001, 40002, 40003));
    private final ForwardReconciler reconciler = new ForwardReconciler(store, new ForwardBindings() {
        @Override
        public Optional<ForwardBinding> forVm(String vm, VmSpec spec, JsonNode status) {
            return status.has("pid") ? Optional.of(new ForwardBinding(forwarder, "10.88.0.2")) : Optional.empty();
        }

        @Override
        public List<Forwarder> shared() {
            return List.of(forwarder);
        }
    }, metrics, new ForwardEvents(events), Clock.systemUTC(), Duration.ofSeconds(5),
            (ip, proto, avoid) -> picks.isEmpty() ? null : picks.remove(0));

    private void runningVm(String name, String ports) {
        store.apply(List.of(Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{\"rootfs\":\"/r\",\"command\":[\"x\"],\"ports\":" + ports + "}}")), false);
        store.updateStatus(Kind.VM, name, Json.parseObject("{\"pid\":42,\"phase\":\"Running\"}"), 0);
    }

    private JsonNode status(String name) {
        return store.get(Kind.VM, name).orElseThrow().path("status");
    }

    /** The Warning events recorded on a VM for one reason. */
    private List<EventRecord> warnings(String vm, String reason) {
        return events.list(e -> e.name().equals(vm) && e.reason().equals(reason) && e.type() == EventRecord.Type.Warning);
    }

    @Test
    void exposesPublishedPortsAndListsThemInStatus() throws Exception {
        runningVm("web", "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80},{\"guestPort\":443}]");
        reconciler.reconcile("web");
        assertEquals(Set.of("tcp 127.0.0.1:8080 -> 10.88.0.2:80", "tcp 0.0.0.0:40001 -> 10.88.0.2:443"), forwarder.describe(),
                "a port without hostPort is published on an ephemeral host port");
        assertEquals("Exposed", status("web").path("forwards").get(0).path("state").asText());
        assertEquals(2, status("web").path("forwards").size());
        assertEquals(Json.MAPPER.readTree("[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80,\"protocol\":\"TCP\"},"
                + "{\"hostIP\":\"0.0.0.0\",\"hostPort\":40001,\"guestPort\":443,\"protocol\":\"TCP\",\"ephemeral\":true}]"),
                status("web").path("ports"));
        assertFalse(Conditions.isTrue(status("web"), ForwardReconciler.PORT_CONFLICT));
    }

    @Test
    void ephemeralPortStaysTheSameWhileTheVmStopsAndStartsAgain() throws Exception {
        runningVm("web", "[{\"hostIP\":\"127.0.0.1\",\"guestPort\":80}]");
        reconciler.reconcile("web");
        ObjectNode stopped = status("web").deepCopy();
        stopped.remove("pid");
        stopped.put("phase", "Stopped");
        store.updateStatus(Kind.VM, "web", stopped, 0);
        reconciler.reconcile("web");
        assertEquals(Set.of(), forwarder.describe());
        assertEquals(40001, status("web").path("ports").get(0).path("hostPort").asInt(), "a stopped VM keeps its port");
        ObjectNode running = status("web").deepCopy();
        running.put("pid", 43).put("phase", "Running");
        store.updateStatus(Kind.VM, "web", running, 0);
        // a new reconciler: hyprd restarted in between and remembers only what status says
        reconciler.reconcile("web");
        assertEquals(Set.of("tcp 127.0.0.1:40001 -> 10.88.0.2:80"), forwarder.describe());
    }

    @Test
    void ephemeralPortTakenMeanwhileIsReplacedByAnother() throws Exception {
        runningVm("web", "[{\"hostIP\":\"127.0.0.1\",\"guestPort\":80}]");
        reconciler.reconcile("web");
        forwarder.forwards.clear();
        forwarder.taken.add("tcp 127.0.0.1:40001"); // another program took it while the VM was down
        assertTrue(reconciler.reconcile("web").requeue().isPresent());
        assertTrue(Conditions.isTrue(status("web"), ForwardReconciler.PORT_CONFLICT));
        reconciler.reconcile("web");
        assertEquals(Set.of("tcp 127.0.0.1:40002 -> 10.88.0.2:80"), forwarder.describe());
        assertEquals(40002, status("web").path("ports").get(0).path("hostPort").asInt());
        assertFalse(Conditions.isTrue(status("web"), ForwardReconciler.PORT_CONFLICT));
    }

    @Test
    void noFreePortIsAFailureNotASilentDrop() throws Exception {
        picks.clear();
        runningVm("web", "[{\"hostIP\":\"127.0.0.1\",\"guestPort\":80}]");
        assertThrows(ForwardException.class, () -> reconciler.reconcile("web"));
        JsonNode ready = Conditions.get(status("web"), ForwardReconciler.FORWARDS_READY).orElseThrow();
        assertTrue(ready.path("message").asText().contains("no free host port"), ready.toString());
    }

    @Test
    void forwardRemovedOutOfBandIsRestoredAndSaysSo() throws Exception {
        runningVm("web", "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80}]");
        reconciler.reconcile("web");
        forwarder.forwards.clear(); // someone ran hostfwd_remove / killed the listener
        reconciler.reconcile("web");
        assertEquals(Set.of("tcp 127.0.0.1:8080 -> 10.88.0.2:80"), forwarder.describe());
        JsonNode ready = Conditions.get(status("web"), ForwardReconciler.FORWARDS_READY).orElseThrow();
        assertEquals("Restored", ready.path("reason").asText());
        assertTrue(ready.path("message").asText().contains("127.0.0.1:8080"), ready.toString());
        assertEquals(1.0, metrics.counter("hypr_forwards_restored").count());
        List<EventRecord> restored = warnings("web", ForwardEvents.RESTORED);
        assertEquals(1, restored.size(), events.list(e -> true).toString());
        assertTrue(restored.get(0).message().contains("tcp 127.0.0.1:8080 -> 10.88.0.2:80"), restored.toString());
        reconciler.reconcile("web");
        assertEquals(1, warnings("web", ForwardEvents.RESTORED).get(0).count(), "a forward still in place is no new event");
    }

    @Test
    void takenPortIsAConflictOnThatVmAndOtherForwardsStillWork() throws Exception {
        forwarder.taken.add("tcp 127.0.0.1:8080");
        runningVm("web", "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80},"
                + "{\"hostIP\":\"127.0.0.1\",\"hostPort\":8081,\"guestPort\":81}]");
        assertTrue(reconciler.reconcile("web").requeue().isPresent(), "a conflict is looked at again soon");
        assertEquals(Set.of("tcp 127.0.0.1:8081 -> 10.88.0.2:81"), forwarder.describe());
        JsonNode c = Conditions.get(status("web"), ForwardReconciler.PORT_CONFLICT).orElseThrow();
        assertEquals("True", c.path("status").asText());
        assertTrue(c.path("message").asText().contains("host port tcp 127.0.0.1:8080 is already in use"), c.toString());
        assertEquals(c.path("message").asText(), warnings("web", ForwardReconciler.PORT_CONFLICT).get(0).message());
        forwarder.taken.clear(); // the other program went away
        reconciler.reconcile("web");
        assertEquals(2, forwarder.forwards.size());
        assertFalse(Conditions.isTrue(status("web"), ForwardReconciler.PORT_CONFLICT));
    }

    @Test
    void otherFailuresAreReportedRetriedAndDoNotBlockOtherForwards() throws Exception {
        forwarder.broken.add("tcp 127.0.0.1:8080");
        runningVm("web", "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80},"
                + "{\"hostIP\":\"127.0.0.1\",\"hostPort\":8081,\"guestPort\":81}]");
        assertThrows(ForwardException.class, () -> reconciler.reconcile("web"), "an error means retry with back-off");
        assertEquals(Set.of("tcp 127.0.0.1:8081 -> 10.88.0.2:81"), forwarder.describe());
        JsonNode ready = Conditions.get(status("web"), ForwardReconciler.FORWARDS_READY).orElseThrow();
        assertEquals("ForwardFailed", ready.path("reason").asText());
        assertEquals(ready.path("message").asText(), warnings("web", ForwardEvents.FAILED).get(0).message());
        assertFalse(Conditions.isTrue(status("web"), ForwardReconciler.PORT_CONFLICT));
    }

    @Test
    void removedPortAndDeletedVmAreUnexposed() throws Exception {
        runningVm("web", "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80}]");
        runningVm("db", "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":5432,\"guestPort\":5432}]");
        reconciler.reconcile("web");
        reconciler.reconcile("db");
        store.delete(Kind.VM, "web", 0);
        reconciler.reconcile("web");
        assertEquals(Set.of("tcp 127.0.0.1:5432 -> 10.88.0.2:5432"), forwarder.describe());
    }

    @Test
    void stoppedVmHasNoForwards() throws Exception {
        runningVm("web", "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80}]");
        reconciler.reconcile("web");
        store.updateStatus(Kind.VM, "web", Json.parseObject("{\"phase\":\"Stopped\"}"), 0);
        reconciler.reconcile("web");
        assertEquals(Set.of(), forwarder.describe());
        assertTrue(status("web").path("forwards").isMissingNode());
    }

    /** A forwarder with a port table that tests can edit behind the reconciler's back. */
    static final class FakeForwarder implements Forwarder {
        final List<Forward> forwards = new ArrayList<>();
        final List<String> taken = new ArrayList<>();
        final List<String> broken = new ArrayList<>();

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public List<Forward> list() {
            return List.copyOf(forwards);
        }

        @Override
        public void expose(Forward f) throws ForwardException {
            if (taken.contains(f.listenKey())) {
                throw new PortConflictException(f, "");
            }
            if (broken.contains(f.listenKey())) {
                throw new ForwardException("QMP socket refused");
            }
            forwards.removeIf(x -> x.listenKey().equals(f.listenKey()));
            forwards.add(f);
        }

        @Override
        public void unexpose(Forward f) {
            forwards.removeIf(x -> x.listenKey().equals(f.listenKey()));
        }

        Set<String> describe() {
            return Set.copyOf(forwards.stream().map(Forward::toString).toList());
        }
    }
}
