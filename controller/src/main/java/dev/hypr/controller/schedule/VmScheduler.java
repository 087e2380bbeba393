package dev.hypr.controller.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.node.NodeRegistration;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.runtime.StatusWriter;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import dev.hypr.controller.store.etcd.EtcdConnection;
import io.etcd.jetcd.Client;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The cluster's one scheduler (on etcd): every hyprd campaigns in the etcd election
 * {@code PREFIX/scheduler}; the leader watches Nodes, VMs and Volumes and, on each change and
 * every second, runs a {@link SchedulingPass} and writes its actions. Each binding is one store
 * transaction comparing the revisions it read, so a binding never lands on a VM that changed
 * meanwhile, even from a deposed leader. On SQLite (one node) there is nothing to schedule: the
 * one node runs every VM.
 *
 * <p>Owns the VM condition {@code Scheduled} (True: Bound; False: Unschedulable or NodeLost).
 */
@ApplicationScoped
public class VmScheduler {
    public static final String SCHEDULED = "Scheduled";
    private static final Logger LOG = Logger.getLogger(VmScheduler.class);

    @Inject
    ObjectStore store;

    @Inject
    EtcdConnection etcd;

    @Inject
    EventRecorder events;

    @Inject
    NodeRegistration registration;

    @ConfigProperty(name = "hypr.controllers.enabled", defaultValue = "true")
    boolean controllersEnabled;

    @ConfigProperty(name = "hypr.scheduler.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "hypr.node.lease-ttl", defaultValue = "10")
    int leaseTtlSeconds;

    /** HYPR_NODE_GRACE: seconds a node stays NotReady before its VMs are moved; must exceed the lease TTL. */
    @ConfigProperty(name = "hypr.node.grace", defaultValue = "30")
    int graceSeconds;

    /** Virtual CPUs placed per host CPU (OpenStack's cpu_allocation_ratio); memory is never overcommitted. */
    @ConfigProperty(name = "hypr.scheduler.cpu-allocation-ratio", defaultValue = "16")
    double cpuAllocationRatio;

    private final Clock clock = Clock.systemUTC();
    private final Semaphore wake = new Semaphore(0);
    private final NotReadyClock notReady = new NotReadyClock(System::nanoTime);
    private final List<AutoCloseable> watches = new ArrayList<>();
    private volatile LeaderElection election;
    private volatile Thread loop;
    private volatile boolean stopping;

    void start(@Observes @Priority(2100) StartupEvent ev) {
        if (!enabled || !controllersEnabled || etcd.client().isEmpty()) {
            return;
        }
        if (graceSeconds <= leaseTtlSeconds) {
            throw new IllegalStateException("HYPR_NODE_GRACE (" + graceSeconds + " s) must exceed HYPR_NODE_LEASE_TTL ("
                    + leaseTtlSeconds + " s): a lost node fences its VMs one TTL after its last renewal, and only then may they move");
        }
        Client client = etcd.client().get();
        election = new LeaderElection(client, etcd.schedulerElection(), registration.nodeName(), leaseTtlSeconds, System::nanoTime);
        for (Kind kind : List.of(Kind.VM, Kind.NODE, Kind.VOLUME)) {
            watches.add(store.watch(kind, 0, change -> wake.release()));
        }
        loop = new Thread(this::run, "scheduler");
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        while (!stopping) {
            try {
                if (!election.leading()) {
                    election.awaitLeadership();
                    notReady.reset();
                    String node = registration.nodeName();
                    LOG.infof("node %s leads the scheduler", node);
                    events.normal(Kind.NODE.kindName(), node, "SchedulerElected", "node " + node + " leads the scheduler (etcd election "
                            + etcd.schedulerElection() + ")");
                }
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
                if (election.leading()) {
                    pass();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (stopping) {
                    return;
                }
                LOG.warnf("scheduler: %s; trying again in 1 s", e.toString());
                try {
                    Thread.sleep(1000); // etcd unreachable: campaign again once it answers
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** One look at everything, and the writes it calls for. */
    void pass() {
        List<ObjectNode> nodes = store.list(Kind.NODE, null).items();
        notReady.observe(nodes);
        SchedulingPass pass = new SchedulingPass(nodes, store.list(Kind.VOLUME, null).items(), notReady::notReadyFor,
                Duration.ofSeconds(graceSeconds), cpuAllocationRatio);
        for (SchedulingPass.Action action : pass.plan(store.list(Kind.VM, null).items())) {
            if (!election.leading()) {
                return;
            }
            try {
                execute(action);
            } catch (StoreException e) {
                // a conflict means someone wrote meanwhile: the next pass sees the new state
                LOG.debugf("scheduler: %s: %s", action, e.getMessage());
            }
        }
    }

    private void execute(SchedulingPass.Action action) {
        if (action instanceof SchedulingPass.Unbind u) {
            if (rebind(Kind.VM, u.vm(), u.revision(), "", Map.of())) {
                LOG.warnf("vm/%s: %s", u.vm(), u.message());
                events.warning(Kind.VM.kindName(), u.vm(), "NodeLost", u.message());
                setScheduled(u.vm(), false, "NodeLost", u.message());
            }
        } else if (action instanceof SchedulingPass.Bind b) {
            if (rebind(Kind.VM, b.vm(), b.revision(), b.node(), b.volumes())) {
                String message = "assigned vm/" + b.vm() + " to node " + b.node()
                        + (b.volumes().isEmpty() ? "" : " with volume(s) " + String.join(", ", b.volumes().keySet()));
                LOG.infof("scheduler: %s", message);
                events.normal(Kind.VM.kindName(), b.vm(), "Scheduled", message);
                b.volumes().keySet().forEach(v -> events.normal(Kind.VOLUME.kindName(), v, "Scheduled",
                        "volume " + v + " lives on node " + b.node() + " (first used by vm/" + b.vm() + ")"));
                setScheduled(b.vm(), true, "Bound", "bound to node " + b.node());
            }
        } else if (action instanceof SchedulingPass.BindVolume v) {
            if (rebind(Kind.VOLUME, v.volume(), v.revision(), v.node(), Map.of())) {
                events.normal(Kind.VOLUME.kindName(), v.volume(), "Scheduled", "volume " + v.volume() + " lives on node "
                        + v.node() + ", the node of the VM that uses it");
            }
        } else if (action instanceof SchedulingPass.Unschedulable u) {
            setScheduled(u.vm(), false, "Unschedulable", u.message());
            if (u.changed()) {
                events.warning(Kind.VM.kindName(), u.vm(), "FailedScheduling", u.message());
            }
        } else if (action instanceof SchedulingPass.Pinned p) {
            setScheduled(p.vm(), true, "Pinned", "bound to node " + p.node() + " by its spec.nodeName");
        } else if (action instanceof SchedulingPass.ReleaseFinalizer r) {
            store.get(Kind.VM, r.vm()).ifPresent(vm -> {
                List<String> kept = new ArrayList<>(Objects.finalizers(vm));
                kept.remove(SchedulingPass.VM_FINALIZER);
                store.updateFinalizers(Kind.VM, r.vm(), kept, r.revision());
            });
        }
    }

    /**
     * Sets spec.nodeName of an object (empty: unbinds) and of {@code volumes}, in one transaction
     * that compares each revision read by the pass. False when the object is gone or changed.
     */
    private boolean rebind(Kind kind, String name, long revision, String node, Map<String, Long> volumes) {
        List<ObjectNode> manifests = new ArrayList<>();
        ObjectNode first = boundManifest(kind, name, revision, node);
        if (first == null) {
            return false;
        }
        manifests.add(first);
        for (Map.Entry<String, Long> v : volumes.entrySet()) {
            ObjectNode m = boundManifest(Kind.VOLUME, v.getKey(), v.getValue(), node);
            if (m == null) {
                return false;
            }
            manifests.add(m);
        }
        try {
            store.apply(manifests, false);
            return true;
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.CONFLICT || e.reason() == StoreException.Reason.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** The stored object with spec.nodeName set, carrying the revision read: a write only if nothing changed since. */
    private ObjectNode boundManifest(Kind kind, String name, long revision, String node) {
        ObjectNode current = store.get(kind, name).orElse(null);
        if (current == null || Objects.resourceVersion(current) != revision) {
            return null;
        }
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("apiVersion", current.path("apiVersion").asText());
        m.put("kind", current.path("kind").asText());
        ObjectNode meta = m.putObject("metadata");
        meta.put("name", name);
        meta.put("resourceVersion", Long.toString(revision));
        for (String kept : List.of("labels", "annotations")) {
            if (current.path("metadata").has(kept)) {
                meta.set(kept, current.path("metadata").get(kept));
            }
        }
        ObjectNode spec = current.get("spec") instanceof ObjectNode s ? s.deepCopy() : m.putObject("spec");
        spec.put("nodeName", node); // empty: unbound (ObjectTransitions.keepBinding)
        m.set("spec", spec);
        return m;
    }

    private void setScheduled(String vm, boolean bound, String reason, String message) {
        new StatusWriter(store).update(Kind.VM, vm, status -> Conditions.set(status, SCHEDULED, bound, reason, message,
                0, clock.instant()));
    }

    /** Whether this hyprd leads the scheduler now. */
    public boolean leading() {
        return election != null && election.leading();
    }

    void stop(@Observes ShutdownEvent ev) {
        stopping = true;
        for (AutoCloseable w : watches) {
            try {
                w.close();
            } catch (Exception ignored) {
                // shutting down
            }
        }
        if (loop != null) {
            loop.interrupt();
        }
        if (election != null) {
            election.close(); // another hyprd takes over at once
        }
    }

    /** How long the leader has seen each node NotReady: its own clock, so a new leader starts counting afresh. */
    static final class NotReadyClock {
        private final java.util.function.LongSupplier nanoTime;
        private final Map<String, Long> since = new HashMap<>();

        NotReadyClock(java.util.function.LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
        }

        synchronized void reset() {
            since.clear();
        }

        synchronized void observe(List<ObjectNode> nodes) {
            long now = nanoTime.getAsLong();
            Map<String, Long> next = new HashMap<>();
            for (ObjectNode n : nodes) {
                String name = Objects.key(n).name();
                if (!Conditions.isTrue(n.path("status"), NodeRegistration.READY)) {
                    next.put(name, since.getOrDefault(name, now));
                }
            }
            since.clear();
            since.putAll(next);
        }

        synchronized Duration notReadyFor(String node) {
            Long s = since.get(node);
            return s == null ? Duration.ZERO : Duration.ofNanos(nanoTime.getAsLong() - s);
        }
    }
}
