package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.events.EventRecord;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.net.forward.Forward;
import dev.hypr.controller.net.forward.ForwardBinding;
import dev.hypr.controller.net.forward.ForwardBindings;
import dev.hypr.controller.net.forward.ForwardEvents;
import dev.hypr.controller.net.forward.ForwardReconciler;
import dev.hypr.controller.net.forward.Forwarder;
import dev.hypr.controller.net.forward.GvproxyForwarder;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.store.CachedObjectStore;
import dev.hypr.controller.store.InMemoryPersistence;
import dev.hypr.controller.store.ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gvproxy forwarder against the real {@code gvproxy} binary (gvisor-tap-vsock), run inside a
 * network namespace: the forward reconciler exposes a VM's published port over gvproxy's API
 * socket, gvproxy lists it and listens on it, unexposing removes it, and after gvproxy restarts
 * (forgetting every forward) the next reconcile exposes it again. Skipped when gvproxy is not on PATH.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GvproxyIT {
    private static final String GUEST = "192.168.127.2"; // gvproxy's default guest address

    @TempDir
    Path dir;

    @Test
    void exposeListUnexposeAndReExposeAfterRestart() throws Exception {
        Optional<Path> binary = onPath("gvproxy");
        Assumptions.assumeTrue(binary.isPresent(), "gvproxy not on PATH: " + System.getenv("PATH"));
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        Path socket = dir.resolve("gvproxy.sock");
        GvproxyForwarder gvproxy = new GvproxyForwarder(socket, ip -> GUEST.equals(ip) ? "web" : "");
        ObjectStore store = new CachedObjectStore(new InMemoryPersistence(100), Clock.systemUTC());
        EventRecorder events = new EventRecorder();
        ForwardReconciler reconciler = new ForwardReconciler(store, new ForwardBindings() {
            @Override
            public Optional<ForwardBinding> forVm(String vm, VmSpec spec, JsonNode status) {
                return Optional.of(new ForwardBinding(gvproxy, GUEST));
            }

            @Override
            public List<Forwarder> shared() {
                return List.of(gvproxy);
            }
        }, new SimpleMeterRegistry(), new ForwardEvents(events), Clock.systemUTC(), Duration.ofSeconds(5));
        store.apply(List.of(Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":"
                + "\"web\"},\"spec\":{\"rootfs\":\"/r\",\"command\":[\"x\"],\"network\":\"gvproxy\",\"ports\":"
                + "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80}]}}")), false);
        String web = "tcp 127.0.0.1:8080 -> " + GUEST + ":80";

        try (NetNs ns = NetNs.create()) {
            Process first = start(ns, binary.get(), socket);
            try {
                reconciler.reconcile("web");
                assertEquals(List.of(web), describe(gvproxy.list()), "gvproxy's API lists the forward");
                assertTrue(ns.exec("ss", "-Htln").contains("127.0.0.1:8080"), "gvproxy listens on the published port");

                gvproxy.unexpose(gvproxy.list().stream().filter(f -> f.owner().equals("web")).findFirst().orElseThrow());
                assertEquals(List.of(), describe(gvproxy.list()), "unexposed");
                reconciler.reconcile("web");
                assertEquals(List.of(web), describe(gvproxy.list()), "the reconciler put it back");
            } finally {
                stop(first);
            }
            Process second = start(ns, binary.get(), socket);
            try {
                assertEquals(List.of(), describe(gvproxy.list()), "a restarted gvproxy has forgotten every forward");
                reconciler.reconcile("web");
                assertEquals(List.of(web), describe(gvproxy.list()), "re-exposed after the restart");
                List<EventRecord> restored = events.list(e -> e.reason().equals(ForwardEvents.RESTORED));
                assertEquals(2, restored.get(0).count(), "one event per restore (unexpose, restart): " + restored);
                assertEquals("Restored", Conditions.get(store.get(Kind.VM, "web").orElseThrow().path("status"),
                        ForwardReconciler.FORWARDS_READY).orElseThrow().path("reason").asText());
            } finally {
                stop(second);
            }
        }
    }

    /** This VM's forwards only: gvproxy adds its own ssh forward by default. */
    private static List<String> describe(List<Forward> forwards) {
        return forwards.stream().filter(f -> f.owner().equals("web")).map(Forward::toString).toList();
    }

    private static Process start(NetNs ns, Path binary, Path socket) throws Exception {
        Files.deleteIfExists(socket); // gvproxy will not listen over a stale socket
        List<String> cmd = new ArrayList<>(ns.prefix());
        cmd.addAll(List.of(binary.toString(), "-listen", "unix://" + socket));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(socket.resolveSibling("gvproxy.log").toFile()).start();
        NetworkCluster.await("gvproxy's API socket", Duration.ofSeconds(10), () -> Files.exists(socket) || !p.isAlive(), b -> b);
        assertTrue(p.isAlive(), () -> "gvproxy exited: " + read(socket.resolveSibling("gvproxy.log")));
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }
}
