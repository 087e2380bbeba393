package dev.hypr.controller.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.runtime.StatusWriter;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import dev.hypr.controller.store.etcd.EtcdConnection;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Registers this hyprd as a {@code Node} named {@code HYPR_NODE_NAME} (default: the host name)
 * and keeps it alive. On etcd the heartbeat is an etcd lease (TTL {@code hypr.node.lease-ttl})
 * with the key {@code /hypr/leases/NAME} bound to it, kept alive by jetcd; every hyprd watches
 * those keys and marks a node whose key vanished (its lease expired) NotReady, as the Kubernetes
 * node lifecycle controller does from node leases. On SQLite the one node is registered Ready.
 *
 * <p>Owns these Node status fields: capacity, hypervisors, kvm, addresses, heartbeatTime,
 * leaseTTLSeconds, allocated and the Ready condition (NotReady may be written by any node).
 */
@ApplicationScoped
public class NodeRegistration {
    private static final Logger LOG = Logger.getLogger(NodeRegistration.class);
    public static final String READY = "Ready";

    @Inject
    ObjectStore store;

    @Inject
    EtcdConnection etcd;

    @Inject
    EventRecorder events;

    @ConfigProperty(name = "hypr.node.name")
    Optional<String> configuredName;

    @ConfigProperty(name = "hypr.node.lease-ttl", defaultValue = "10")
    int leaseTtlSeconds;

    /** HYPR_NODE_REGISTER; by default a node registers when its controllers run (a store-only hyprd writes nothing itself). */
    @ConfigProperty(name = "hypr.node.register")
    Optional<Boolean> register;

    @ConfigProperty(name = "hypr.controllers.enabled", defaultValue = "true")
    boolean controllersEnabled;

    /** HYPR_NODE_LABELS: labels this node carries (k=v,k=v), matched by VMs' spec.nodeSelector. */
    @ConfigProperty(name = "hypr.node.labels")
    Optional<String> configuredLabels;

    /** Label every node carries with its name (as kubernetes.io/hostname): pins a VM through nodeSelector. */
    public static final String NAME_LABEL = "hypr.dev/node";

    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-registration");
        t.setDaemon(true);
        return t;
    });
    /** Its own thread: registration may block on an unreachable etcd for 30 s, fencing must not wait. */
    private final ScheduledExecutorService fenceWatch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-fence");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean allocationPending = new AtomicBoolean();
    private volatile String name;
    private volatile long leaseId;
    private volatile CloseableClient keepAlive;
    private volatile Watch.Watcher leaseWatch;
    private volatile AutoCloseable vmWatch;
    private volatile boolean stopping;
    private volatile LeaseClock leaseClock;
    private volatile boolean fencedSeen;
    private volatile long fencedAt;
    private final List<java.util.function.Consumer<Boolean>> fenceListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** This node's name (HYPR_NODE_NAME or the host name). */
    public String nodeName() {
        if (name == null) {
            name = configuredName.filter(n -> !n.isBlank()).orElseGet(NodeFacts::hostname);
        }
        return name;
    }

    // before the controllers (2000): the node exists when they start
    void start(@Observes @Priority(1500) StartupEvent ev) {
        if (!register.orElse(controllersEnabled)) {
            return;
        }
        String node = nodeName();
        if (etcd.client().isPresent()) {
            leaseClock = new LeaseClock(System::nanoTime, java.time.Duration.ofSeconds(leaseTtlSeconds));
            fenceWatch.scheduleWithFixedDelay(this::checkFence, 250, 250, TimeUnit.MILLISECONDS);
        }
        worker.execute(() -> {
            try {
                register(node);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot register node %s; retrying in 5 s", node);
                worker.schedule(() -> start(ev), 5, TimeUnit.SECONDS);
            }
        });
    }

    private void register(String node) {
        applyLabels(node);
        // spec (cordon) is the users'; registration writes only its status fields
        etcd.client().ifPresent(this::holdLease);
        new StatusWriter(store).update(Kind.NODE, node, status -> {
            NodeFacts.describeHost(status, NodeFacts.hostname());
            status.put("heartbeatTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            if (leaseId != 0) {
                status.put("leaseTTLSeconds", leaseTtlSeconds);
            } else {
                status.remove("leaseTTLSeconds");
            }
            Conditions.set(status, READY, true, etcd.client().isPresent() ? "LeaseHeld" : "SingleNode",
                    etcd.client().isPresent() ? "hyprd holds its etcd lease" : "hyprd is running (SQLite store, one node)", 0, clock.instant());
        });
        events.normal("Node", node, "Registered", "hyprd registered node " + node + " (store: " + etcd.describe() + ")");
        if (vmWatch == null) {
            vmWatch = store.watch(Kind.VM, 0, change -> scheduleAllocation());
        }
        scheduleAllocation();
        etcd.client().ifPresent(this::watchLeases);
        LOG.infof("node %s registered (store: %s)", node, etcd.describe());
    }

    /**
     * Creates the Node, or adds this hyprd's labels (HYPR_NODE_LABELS and {@link #NAME_LABEL}) to
     * it; labels set by users stay, the spec (cordon) is theirs. Carries the revision read.
     */
    private void applyLabels(String node) {
        Map<String, String> wanted = NodeLabels.parse(configuredLabels.orElse(""));
        wanted.put(NAME_LABEL, node);
        Optional<ObjectNode> current = store.get(Kind.NODE, node);
        ObjectNode manifest = Json.parseObject("{\"apiVersion\":\"" + Kind.API_VERSION + "\",\"kind\":\"Node\",\"metadata\":{}"
                + ",\"spec\":{\"unschedulable\":false}}");
        ObjectNode meta = Objects.metadata(manifest);
        meta.put("name", node);
        ObjectNode labels = meta.putObject("labels");
        if (current.isPresent()) {
            ObjectNode cur = current.get();
            if (cur.path("metadata").has("annotations")) {
                meta.set("annotations", cur.path("metadata").get("annotations"));
            }
            cur.path("metadata").path("labels").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
            if (cur.get("spec") instanceof ObjectNode spec) {
                manifest.set("spec", spec.deepCopy());
            }
            meta.put("resourceVersion", Long.toString(Objects.resourceVersion(cur)));
        }
        wanted.forEach(labels::put);
        try {
            store.apply(List.of(manifest), false);
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.CONFLICT) {
                throw e;
            }
            LOG.debugf("node %s: labels not applied (changed meanwhile); next registration retries", node);
        }
    }

    /** Grants the lease, binds /hypr/leases/NAME to it and keeps it alive (jetcd renews at TTL/3). */
    private void holdLease(Client client) {
        long id = call(client.getLeaseClient().grant(leaseTtlSeconds)).getID();
        call(client.getKVClient().put(leaseKey(nodeName()), bytes(nodeName()), PutOption.builder().withLeaseId(id).build()));
        leaseId = id;
        leaseClock.renewed();
        keepAlive = client.getLeaseClient().keepAlive(id, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                if (r.getTTL() > 0) {
                    leaseClock.renewed();
                }
            }

            @Override
            public void onError(Throwable t) {
                if (stopping) {
                    return;
                }
                // the lease is lost (expired while partitioned, or etcd said so): take a new one
                LOG.warnf("node %s lost its etcd lease (%s); registering again", nodeName(), t.toString());
                leaseClock.lost();
                leaseId = 0;
                worker.schedule(() -> {
                    try {
                        register(nodeName());
                    } catch (RuntimeException e) {
                        LOG.warnf("node %s: registering again failed: %s", nodeName(), e.getMessage());
                        worker.schedule(() -> onError(t), 2, TimeUnit.SECONDS);
                    }
                }, 1, TimeUnit.SECONDS);
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    /** Every node's lease keys: a deleted key (expired lease) makes that Node NotReady. */
    private void watchLeases(Client client) {
        if (leaseWatch != null) {
            return;
        }
        ByteSequence prefix = bytes(etcd.leasesPrefix());
        var held = call(client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build()));
        Set<String> alive = new HashSet<>();
        for (KeyValue kv : held.getKvs()) {
            alive.add(kv.getKey().toString(StandardCharsets.UTF_8).substring(etcd.leasesPrefix().length()));
        }
        // nodes that died while nobody watched
        for (JsonNode n : store.list(Kind.NODE, null).items()) {
            String other = n.path("metadata").path("name").asText();
            if (!alive.contains(other)) {
                markNotReady(other);
            }
        }
        WatchOption from = WatchOption.builder().isPrefix(true).withRevision(held.getHeader().getRevision() + 1).build();
        leaseWatch = client.getWatchClient().watch(prefix, from, Watch.listener(response -> {
            for (WatchEvent e : response.getEvents()) {
                if (e.getEventType() == WatchEvent.EventType.DELETE) {
                    String other = e.getKeyValue().getKey().toString(StandardCharsets.UTF_8).substring(etcd.leasesPrefix().length());
                    worker.execute(() -> markNotReady(other));
                }
            }
        }));
    }

    /**
     * Whether this node must not run VMs now: on etcd, until it holds a lease, and whenever a TTL
     * has passed since the lease was last renewed (cut off from the etcd majority). Its VMs may be
     * started elsewhere once the grace period (longer than the TTL) ends, so it stops them first.
     */
    public boolean fenced() {
        LeaseClock clock = leaseClock;
        return clock != null && !clock.pending() && clock.expired();
    }

    /** On etcd, before this hyprd first holds its lease: VMs already running here are neither adopted nor stopped yet. */
    public boolean leasePending() {
        LeaseClock clock = leaseClock;
        return clock != null && clock.pending();
    }

    /** {@code listener.accept(true)} when the node fences itself, {@code false} when it holds a lease again. */
    public void onFencing(java.util.function.Consumer<Boolean> listener) {
        fenceListeners.add(listener);
    }

    private void checkFence() {
        boolean now = fenced();
        if (now == fencedSeen) {
            return;
        }
        fencedSeen = now;
        if (now) {
            fencedAt = System.currentTimeMillis();
            LOG.warnf("node %s: its etcd lease was not renewed for %d s (cut off from the etcd majority?): fencing, stopping its VMs",
                    nodeName(), leaseTtlSeconds);
        } else if (fencedAt != 0) {
            LOG.infof("node %s holds an etcd lease again: no longer fenced", nodeName());
            String since = java.time.Instant.ofEpochMilli(fencedAt).truncatedTo(ChronoUnit.SECONDS).toString();
            worker.execute(() -> {
                try {
                    events.warning("Node", nodeName(), "Fenced", "node " + nodeName() + " stopped its VMs at " + since
                            + ": its etcd lease was not renewed for " + leaseTtlSeconds + " s; VMs still bound to it start again");
                } catch (RuntimeException e) {
                    LOG.debugf("fence event: %s", e.getMessage());
                }
            });
        }
        for (var l : fenceListeners) {
            try {
                l.accept(now);
            } catch (RuntimeException e) {
                LOG.warnf("fence listener: %s", e.toString());
            }
        }
    }

    private void markNotReady(String node) {
        if (node.equals(nodeName()) && leaseId != 0 && !stopping) {
            return; // our own key is re-created by the lease handler
        }
        try {
            new StatusWriter(store).update(Kind.NODE, node, status -> Conditions.set(status, READY, false, "NodeLeaseExpired",
                    "the node's etcd lease expired: its hyprd stopped renewing it (dead, stopped or cut off from etcd)", 0, clock.instant()));
            events.warning("Node", node, "NodeNotReady", "node " + node + " is NotReady: its etcd lease expired");
        } catch (RuntimeException e) {
            LOG.warnf("cannot mark node %s NotReady: %s", node, e.getMessage());
        }
    }

    private void scheduleAllocation() {
        if (allocationPending.compareAndSet(false, true)) {
            worker.schedule(this::updateAllocation, 200, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * What the VMs bound to this node ask for. With one node (SQLite) every VM is this node's; on
     * etcd the VMs whose spec.nodeName names it. Stopped VMs (spec.running false) take nothing.
     */
    private void updateAllocation() {
        allocationPending.set(false);
        try {
            boolean single = etcd.client().isEmpty();
            int cpus = 0;
            long memory = 0;
            int vms = 0;
            for (JsonNode vm : store.list(Kind.VM, null).items()) {
                if ((single || nodeName().equals(vm.path("spec").path("nodeName").asText()))
                        && vm.path("spec").path("running").asBoolean(true)) {
                    cpus += vm.path("spec").path("cpus").asInt(1);
                    memory += vm.path("spec").path("memoryMiB").asLong(256);
                    vms++;
                }
            }
            int c = cpus;
            long m = memory;
            int v = vms;
            new StatusWriter(store).update(Kind.NODE, nodeName(),
                    status -> status.putObject("allocated").put("cpus", c).put("memoryMiB", m).put("vms", v));
        } catch (RuntimeException e) {
            LOG.debugf("node %s: allocation not updated: %s", nodeName(), e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        stopping = true;
        try {
            if (vmWatch != null) {
                vmWatch.close();
            }
        } catch (Exception ignored) {
            // shutting down
        }
        if (leaseWatch != null) {
            leaseWatch.close();
        }
        if (keepAlive != null) {
            keepAlive.close();
        }
        long id = leaseId;
        etcd.client().ifPresent(c -> {
            if (id != 0) {
                try {
                    // a clean stop: the node goes NotReady now, not after the TTL
                    c.getLeaseClient().revoke(id).get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.debugf("lease revoke: %s", e.toString());
                }
            }
        });
        worker.shutdownNow();
        fenceWatch.shutdownNow();
    }

    private ByteSequence leaseKey(String node) {
        return bytes(etcd.leasesPrefix() + node);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static <T> T call(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "etcd: " + e.getMessage());
        }
    }
}
