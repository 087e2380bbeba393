package dev.hypr.controller.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.net.NetNs;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Three hyprd "nodes" on one machine, as the must-show tests want them: each node is a
 * network namespace with its own address on a test bridge (in a fourth namespace, the "switch"),
 * its own etcd member (together a 3-member cluster), and its own hyprd (name, home, socket,
 * ports; HYPR_STORE naming all three members). Nothing touches the host's own network: every
 * link lives in the test's namespaces. {@link #close()} ends every process in them (hyprd,
 * etcd, QEMU daemons) and deletes the namespaces, whatever state the test left.
 */
public final class ThreeNodeCluster implements AutoCloseable {
    public static final int NODES = 3;
    static final String SUBNET_PREFIX = "10.213.0.";

    /** One node: its name, address, namespace, hyprd and the switch port that links it. */
    public record Node(String name, String address, NetNs ns, HyprdProcess hyprd, String switchPort) {
    }

    private final NetNs hub;
    private final List<NetNs> namespaces = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Path dir;
    private EtcdCluster etcd;
    private Thread shutdownHook;
    private Path etcdData;
    private boolean closed;

    private ThreeNodeCluster(NetNs hub, Path dir) {
        this.hub = hub;
        this.dir = dir;
    }

    /**
     * @param environment extra hyprd variables for every node (lease TTL, grace period)
     */
    public static ThreeNodeCluster start(Path dir, Map<String, String> environment) throws Exception {
        GuestArtifacts.require();
        ThreeNodeCluster c = new ThreeNodeCluster(NetNs.create(), dir);
        // a test JVM that is killed (failsafe's timeout) must not leave namespaces and daemons behind either
        Thread cleanup = new Thread(() -> {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort at exit
            }
        }, "three-node-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        c.shutdownHook = cleanup;
        try {
            c.wire();
            List<String> addresses = c.namespaces.stream().map(ns -> SUBNET_PREFIX + (c.namespaces.indexOf(ns) + 1)).toList();
            c.etcd = EtcdCluster.start(c.namespaces, addresses, c.etcdDir());
            for (int i = 0; i < NODES; i++) {
                Map<String, String> env = new HashMap<>(environment);
                env.put("HYPR_STORE", c.etcd.storeUrl());
                env.put("HYPR_NODE_NAME", "node-" + (i + 1));
                env.put("HYPR_NODE_ADDRESS", addresses.get(i));
                env.putIfAbsent("HYPR_AOT", "0"); // no AOT training run on a loaded box
                HyprdProcess h = HyprdProcess.start(dir.resolve("node-" + (i + 1)), c.namespaces.get(i).prefix(), env);
                c.nodes.add(new Node("node-" + (i + 1), addresses.get(i), c.namespaces.get(i), h, "p" + (i + 1)));
            }
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The switch: a bridge in the hub namespace, and a veth from each node's namespace to it. */
    private void wire() throws Exception {
        hub.exec("ip", "link", "add", "sw0", "type", "bridge");
        hub.exec("ip", "link", "set", "sw0", "up");
        for (int i = 0; i < NODES; i++) {
            NetNs ns = NetNs.create();
            namespaces.add(ns);
            String port = "p" + (i + 1);
            // created inside the node's namespace, its peer straight in the hub's: no name ever in the host's
            ns.exec("ip", "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", hub.name());
            ns.exec("ip", "addr", "add", SUBNET_PREFIX + (i + 1) + "/24", "dev", "eth0");
            ns.exec("ip", "link", "set", "eth0", "up");
            hub.exec("ip", "link", "set", port, "master", "sw0", "up");
        }
    }

    /**
     * etcd's data in memory where the host has /dev/shm: etcd fsyncs every write, and on a loaded
     * box slow fsyncs stalled its leader long enough that healthy nodes missed lease renewals.
     */
    private Path etcdDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            etcdData = Files.createTempDirectory(shm, "hypr-it-etcd-");
            return etcdData;
        }
        return dir.resolve("etcd");
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    public Hyprctl hyprctl(Node n) {
        return new Hyprctl(n.hyprd().socket(), dir);
    }

    /** A partition: the node's switch port goes down; its processes keep running. */
    public void cut(Node n) throws Exception {
        hub.exec("ip", "link", "set", n.switchPort(), "down");
    }

    public void heal(Node n) throws Exception {
        hub.exec("ip", "link", "set", n.switchPort(), "up");
    }

    /** A dead host: kill -9 of everything in the node's namespace (its hyprd, QEMUs and etcd member). */
    public void killHost(Node n) throws Exception {
        n.hyprd().kill9();
        n.ns().killAll();
    }

    /** The nodes whose namespace runs a QEMU for this VM now (QEMU's -name is hypr-VM). */
    public List<String> nodesRunning(String vm) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (Node n : nodes) {
            for (ProcessHandle p : n.ns().processes()) {
                // one name per node: QEMU's -daemonize fork shows two processes of one VMM for a moment
                if (qemuOf(p, vm) && !out.contains(n.name())) {
                    out.add(n.name());
                }
            }
        }
        return out;
    }

    private static boolean qemuOf(ProcessHandle p, String vm) {
        try {
            String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"), StandardCharsets.UTF_8);
            return cmdline.contains("\0hypr-" + vm + ",process=");
        } catch (IOException gone) {
            return false;
        }
    }

    /** The VM as node {@code via} sees it. */
    public JsonNode vm(Node via, String name) {
        return via.hyprd().object("VM", name).orElseThrow(() -> new AssertionError("no vm/" + name));
    }

    /** A small VM of the quickstart image on the default Network, serving its name over HTTP. */
    public static String httpVm(String name) {
        Path rootfs = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"rootfs\":\"" + rootfs + "\",\"memoryMiB\":128,\"cpus\":1,\"command\":[\"/bin/sh\",\"-c\","
                + "\"mkdir -p /tmp/www && echo " + name + " > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www\"]}}";
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException exiting) {
                // the JVM is already shutting down
            }
        }
        List<Exception> failures = new ArrayList<>();
        for (Node n : nodes) {
            try {
                n.hyprd().close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (etcd != null) {
            etcd.close();
        }
        for (NetNs ns : namespaces) {
            try {
                ns.close(); // QEMU daemons and anything else still inside
            } catch (Exception e) {
                failures.add(e);
            }
        }
        hub.close();
        if (etcdData != null) {
            try (var files = Files.walk(etcdData)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
