package dev.hypr.controller.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.net.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The must-show tests on three nodes ({@link ThreeNodeCluster}: three network namespaces,
 * a 3-member etcd, three hyprd), in order on one cluster: six VMs spread over the nodes and
 * reaching each other by name across them; a partitioned node fencing its VMs before the grace
 * period ends and the VMs running elsewhere; a dead host's VMs running again on the others.
 * All along, a watcher polls every QEMU process of every namespace: a VM running on two nodes
 * at once fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Not yet green (issue #15): its only full run (14:00, quiet 2-core box) failed. The overlap watcher
// counted QEMU's -daemonize fork as a second node (fixed since), the wget step used a timeout
// applet the quickstart busybox lacks (fixed since), and the dead-host and partition steps found no
// VM placed afterwards — not yet understood. Remove @Disabled to run it while working on #15.
@Disabled("issue #15: the 3-namespace cluster test has not passed a full run yet; see the comment above")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterIT {
    /** Long enough that a 2-core box at load 30 renews leases in time (a 5 s TTL fenced healthy nodes). */
    static final int LEASE_TTL_SECONDS = 10;
    static final int GRACE_SECONDS = 20;
    static final List<String> VMS = List.of("vm-1", "vm-2", "vm-3", "vm-4", "vm-5", "vm-6");
    /** A boot under TCG on a loaded 2-core box, with slack. */
    static final Duration BOOT = Duration.ofMinutes(2);

    Path dir;
    ThreeNodeCluster cluster;
    final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher;

    @BeforeAll
    void start() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for network namespaces");
        dir = Files.createTempDirectory("hypr-cluster-it-");
        cluster = ThreeNodeCluster.start(dir, Map.of("HYPR_NODE_LEASE_TTL", Integer.toString(LEASE_TTL_SECONDS),
                "HYPR_NODE_GRACE", Integer.toString(GRACE_SECONDS)));
        watcher = new Thread(this::watchForOverlaps, "overlap-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The property to test hardest: at no moment does one VM have a QEMU in two nodes' namespaces. */
    private void watchForOverlaps() {
        while (watching.get()) {
            for (String vm : VMS) {
                try {
                    List<String> on = cluster.nodesRunning(vm);
                    if (on.size() > 1) {
                        overlaps.add(vm + " ran on " + on + " at " + java.time.Instant.now());
                    }
                } catch (Exception e) {
                    // a namespace being torn down at the end
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // poll interval: QEMUs live for seconds at least
        }
    }

    @AfterAll
    void stop() throws Exception {
        watching.set(false);
        if (watcher != null) {
            watcher.join(10_000);
        }
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        assertEquals(List.of(), overlaps, "a VM ran on two nodes at once");
    }

    private static boolean running(JsonNode vm) {
        return "Running".equals(vm.path("status").path("phase").asText());
    }

    private static String nodeOf(JsonNode vm) {
        return vm.path("spec").path("nodeName").asText("");
    }

    /** Waits until every VM is Running on a node {@code allowed}, with its QEMU in that node's namespace only. */
    private Map<String, String> awaitPlaced(ThreeNodeCluster.Node via, Predicate<String> allowed, Duration within) throws Exception {
        return await("all VMs Running, each on exactly one allowed node", within, () -> {
            Map<String, String> placed = new HashMap<>();
            for (String name : VMS) {
                JsonNode vm = cluster.vm(via, name);
                String node = nodeOf(vm);
                if (running(vm) && allowed.test(node) && cluster.nodesRunning(name).equals(List.of(node))) {
                    placed.put(name, node);
                }
            }
            return placed;
        }, p -> p.size() == VMS.size());
    }

    @Test
    @Order(1)
    void sixVmsAppliedThroughOneNodeSpreadOverTheNodesAndReachEachOtherByNameAcrossThem() throws Exception {
        ThreeNodeCluster.Node entry = cluster.node("node-2");
        Path manifest = dir.resolve("vms.yaml");
        Files.writeString(manifest, String.join("\n---\n", VMS.stream().map(ThreeNodeCluster::httpVm).toList()) + "\n");
        Hyprctl.Run apply = cluster.hyprctl(entry).run("apply", "-f", manifest.toString());
        assertEquals(0, apply.exitCode(), apply.toString());

        Map<String, String> placed = awaitPlaced(cluster.node("node-1"), n -> !n.isEmpty(), BOOT.multipliedBy(2));
        assertEquals(Set.of("node-1", "node-2", "node-3"), new HashSet<>(placed.values()), "spread over the nodes: " + placed);

        Hyprctl.Run wide = cluster.hyprctl(cluster.node("node-3")).run("get", "vms", "-o", "wide");
        assertEquals(0, wide.exitCode(), wide.toString());
        for (var e : placed.entrySet()) {
            assertTrue(wide.stdout().lines().anyMatch(l -> l.startsWith(e.getKey() + " ") && l.contains(" " + e.getValue() + " ")
                    || l.startsWith(e.getKey() + " ") && l.endsWith(" " + e.getValue())), "NODE of " + e + " in:\n" + wide.stdout());
        }

        // two VMs on different nodes of the default Network: by name (each node's DNS answers every VM), over VXLAN
        String client = VMS.stream().filter(v -> placed.get(v).equals("node-1")).findFirst().orElseThrow();
        String server = VMS.stream().filter(v -> placed.get(v).equals("node-3")).findFirst().orElseThrow();
        Hyprctl ctl = cluster.hyprctl(cluster.node("node-1"));
        Hyprctl.Run got = await(client + " fetching http://" + server + "/", Duration.ofMinutes(1),
                // the quickstart busybox has no timeout applet (exit 127); hyprctl's own bound ends a hung try
                () -> ctl.run("exec", client, "--", "wget", "-qO-", "http://" + server + "/"),
                r -> r.exitCode() == 0 && r.stdout().strip().equals(server));
        assertEquals(server, got.stdout().strip());
        Hyprctl.Run ping = ctl.run("exec", client, "--", "ping", "-c", "1", "-W", "3", server);
        assertEquals(0, ping.exitCode(), ping.toString());
        // and each VM's node carries the Network's VXLAN, the other nodes' addresses in its flooding entries
        String fdb = cluster.node("node-1").ns().exec("bridge", "fdb", "show");
        assertTrue(fdb.contains("dst " + cluster.node("node-3").address()), fdb);
    }

    @Test
    @Order(2)
    void aNodeCutOffFromTheEtcdMajorityStopsItsVmsBeforeTheGracePeriodEndsAndTheyRunElsewhere() throws Exception {
        ThreeNodeCluster.Node cut = cluster.node("node-2");
        ThreeNodeCluster.Node other = cluster.node("node-1");
        List<String> itsVms = VMS.stream().filter(v -> nodeOf(cluster.vm(other, v)).equals(cut.name())).toList();
        assertTrue(!itsVms.isEmpty(), "node-2 runs VMs before the cut");
        long cutAt = System.nanoTime();
        cluster.cut(cut);
        await("node-2 stopping its VMs (fenced)", Duration.ofMinutes(2), () -> {
            for (String vm : itsVms) {
                if (cluster.nodesRunning(vm).contains(cut.name())) {
                    return false;
                }
            }
            return true;
        }, done -> done);
        Duration fencedAfter = Duration.ofNanos(System.nanoTime() - cutAt);
        assertTrue(fencedAfter.compareTo(Duration.ofSeconds(LEASE_TTL_SECONDS + GRACE_SECONDS)) < 0,
                "fenced " + fencedAfter + " after the cut: not before lease TTL + grace");
        awaitPlaced(other, n -> !n.isEmpty() && !n.equals(cut.name()), Duration.ofSeconds(LEASE_TTL_SECONDS + GRACE_SECONDS)
                .plus(BOOT));

        cluster.heal(cut);
        await("node-2 Ready again", Duration.ofMinutes(2), () -> other.hyprd().object("Node", cut.name()).orElseThrow(),
                n -> conditionTrue(n, "Ready"));
        // it found its VMs moved: none of theirs runs there, and each still runs exactly once
        awaitPlaced(other, n -> !n.isEmpty(), Duration.ofMinutes(1));
        for (String vm : itsVms) {
            assertTrue(!cluster.nodesRunning(vm).contains(cut.name()), vm + " left on the returned node");
        }
    }

    @Test
    @Order(3)
    void aDeadHostsVmsRunAgainOnTheOthersWithinTheGracePeriodPlusOneBootEachExactlyOnce() throws Exception {
        ThreeNodeCluster.Node dead = cluster.node("node-3");
        ThreeNodeCluster.Node other = cluster.node("node-1");
        List<String> itsVms = VMS.stream().filter(v -> nodeOf(cluster.vm(other, v)).equals(dead.name())).toList();
        assertTrue(!itsVms.isEmpty(), "node-3 runs VMs before it dies");
        long killedAt = System.nanoTime();
        cluster.killHost(dead);
        Duration bound = Duration.ofSeconds(LEASE_TTL_SECONDS + GRACE_SECONDS).plus(BOOT);
        Map<String, String> placed = awaitPlaced(other, n -> !n.isEmpty() && !n.equals(dead.name()), bound);
        for (String vm : itsVms) {
            assertTrue(!placed.get(vm).equals(dead.name()), vm + " moved: " + placed);
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - killedAt).compareTo(bound) < 0);
    }

    private static boolean conditionTrue(JsonNode obj, String type) {
        for (JsonNode c : obj.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    interface Check<T> {
        T get() throws Exception;
    }

    static <T> T await(String what, Duration timeout, Check<T> check, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = check.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250); // polling a condition
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
    }
}
