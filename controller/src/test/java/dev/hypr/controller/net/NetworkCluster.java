package dev.hypr.controller.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.Event;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListEventsRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A real hyprd running inside a {@link NetNs}, with helpers to apply VMs and wait on them. */
final class NetworkCluster implements AutoCloseable {
    static final Path ROOTFS = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");

    final NetNs ns;
    final HyprdProcess hyprd;
    HyprGrpc.HyprBlockingStub api;

    private NetworkCluster(NetNs ns, HyprdProcess hyprd) {
        this.ns = ns;
        this.hyprd = hyprd;
        this.api = hyprd.client();
    }

    static NetworkCluster start(Path home) throws Exception {
        return start(home, java.util.Map.of());
    }

    /** environment: extra variables for hyprd, e.g. a PATH without a program. */
    static NetworkCluster start(Path home, java.util.Map<String, String> environment) throws Exception {
        GuestArtifacts.require();
        NetNs ns = NetNs.create();
        try {
            return new NetworkCluster(ns, HyprdProcess.start(home, ns.prefix(), environment));
        } catch (Exception e) {
            ns.close();
            throw e;
        }
    }

    /** kill -9 and start again on the same home (still inside the namespace). */
    void crashAndRestart() throws Exception {
        hyprd.kill9();
        hyprd.launch();
        api = hyprd.client();
    }

    static String vm(String name, String network, String command, String ports) {
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"rootfs\":\"" + ROOTFS + "\",\"memoryMiB\":128,\"network\":\"" + network + "\",\"command\":" + command
                + ",\"ports\":" + ports + "}}";
    }

    static String httpd() {
        return "[\"/bin/httpd\",\"-f\",\"-p\",\"80\",\"-h\",\"/www\"]";
    }

    void apply(String json) {
        api.apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setJson(json).setSource("test.json:1:1")).build());
    }

    void delete(String kind, String name) {
        api.delete(DeleteRequest.newBuilder().setKind(kind).setName(name).build());
    }

    Optional<ObjectNode> get(String kind, String name) {
        try {
            return Optional.of(Json.parseObject(api.get(GetRequest.newBuilder().setKind(kind).setName(name).build()).getJson()));
        } catch (io.grpc.StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    JsonNode status(String vm) {
        return get("vm", vm).map(o -> o.path("status")).orElse(Json.MAPPER.createObjectNode());
    }

    /** The events recorded on a VM, oldest first. */
    List<Event> events(String vm) {
        return events("VM", vm);
    }

    List<Event> events(String kind, String name) {
        return api.listEvents(ListEventsRequest.newBuilder().setKind(kind).setName(name).build()).getEventsList();
    }

    /** Waits for an event on the VM with this reason whose message contains {@code text}. */
    Event awaitEvent(String vm, String reason, String text) throws Exception {
        return await("a " + reason + " event on vm/" + vm + " mentioning " + text, Duration.ofSeconds(10),
                () -> events(vm).stream().filter(e -> e.getReason().equals(reason) && e.getMessage().contains(text))
                        .findFirst().orElse(null),
                java.util.Objects::nonNull);
    }

    /** curl from inside the namespace; empty when it fails. */
    Optional<String> curl(String url) throws Exception {
        NetNs.Outcome o = ns.tryExec("curl", "-sf", "--max-time", "3", url);
        return o.exitCode() == 0 ? Optional.of(o.output()) : Optional.empty();
    }

    static <T> T await(String what, Duration timeout, Check<T> check, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = check.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
    }

    interface Check<T> {
        T get() throws Exception;
    }

    @Override
    public void close() throws Exception {
        try {
            hyprd.close();
        } finally {
            ns.close();
        }
    }
}
