package dev.hypr.controller.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.store.etcd.EtcdServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hyprd on one etcd (127.0.0.1, distinct names, homes, sockets and ports), controllers on:
 * the elected scheduler spreads 6 VMs over the nodes; the leader's host dies (kill -9 of its hyprd
 * and its QEMUs); another hyprd takes the election over, the lost node's VMs run again on the
 * others, and every VM has exactly one QEMU across all nodes at every moment sampled; the dead
 * node returns and removes its leftovers without touching the objects.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SchedulerIT {
    private static final Path ROOTFS = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");
    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");
    private static final Duration BOUND = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    private static Map<String, String> env(EtcdServer etcd, String node) {
        return Map.of("HYPR_STORE", etcd.storeUrl(), "HYPR_NODE_NAME", node, "HYPR_NODE_LEASE_TTL", "5",
                "HYPR_NODE_GRACE", "12", "HYPR_AOT", "0");
    }

    private static boolean ready(JsonNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    private static String vms() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            sb.append("""
                    apiVersion: hypr.dev/v1alpha1
                    kind: VM
                    metadata:
                      name: w%d
                    spec:
                      rootfs: %s
                      command: ["/bin/sh", "-c", "while true; do sleep 1; done"]
                      memoryMiB: 128
                      network: none
                    ---
                    """.formatted(i, ROOTFS));
        }
        return sb.toString();
    }

    /** QEMU processes per VM name, by the runtime directory (under this test's homes) in their command line. */
    private Map<String, List<String>> qemus() {
        Map<String, List<String>> out = new TreeMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException gone) {
                    continue;
                }
                if (!cmd.contains("qemu-system") || !cmd.contains(dir.toString())) {
                    continue;
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(dir.toString())
                        + "/(node-[a-c])/runtime/vms/([^/ ]+)/").matcher(cmd);
                if (m.find()) {
                    out.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(m.group(1) + ":" + p.getFileName());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** kill -9 of every QEMU of one node: the rest of a dead host. */
    private void killQemusOf(String node) throws IOException {
        for (List<String> procs : qemus().values()) {
            for (String p : procs) {
                if (p.startsWith(node + ":")) {
                    ProcessHandle.of(Long.parseLong(p.substring(p.indexOf(':') + 1))).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /** The node whose hyprd logged that it leads the scheduler (the others wait in the election). */
    private static String leader(Map<String, HyprdProcess> nodes) throws IOException {
        for (Map.Entry<String, HyprdProcess> e : nodes.entrySet()) {
            if (e.getValue().output().contains("node " + e.getKey() + " leads the scheduler")) {
                return e.getKey();
            }
        }
        return null;
    }

    @Test
    void vmsSpreadALostNodesVmsMoveExactlyOnceAndAnotherHyprdTakesTheSchedulerOver() throws Exception {
        assertTrue(Files.exists(ROOTFS), "guest artifacts missing: run scripts/install-deps.sh");
        try (EtcdServer etcd = EtcdServer.start()) {
            Map<String, HyprdProcess> nodes = new LinkedHashMap<>();
            // the sampler: at no moment QEMUs of one VM on two nodes (on one node, QEMU's -daemonize
            // fork shows two processes of one VM for a moment: that is one VMM starting, not two)
            Set<String> doubles = ConcurrentHashMap.newKeySet();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    qemus().forEach((vm, procs) -> {
                        if (procs.stream().map(p -> p.substring(0, p.indexOf(':'))).distinct().count() > 1) {
                            doubles.add(vm + " " + procs);
                        }
                    });
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "qemu-sampler");
            try {
                for (String n : NODES) {
                    nodes.put(n, HyprdProcess.start(dir.resolve(n), List.of(), env(etcd, n)));
                }
                HyprdProcess a = nodes.get("node-a");
                for (String n : NODES) {
                    a.await("Node", n, SchedulerIT::ready, BOUND);
                }
                sampler.setDaemon(true);
                sampler.start();
                Hyprctl ctl = new Hyprctl(a.socket(), dir);
                Files.writeString(dir.resolve("vms.yaml"), vms());
                Hyprctl.Run apply = ctl.run("apply", "-f", dir.resolve("vms.yaml").toString());
                assertEquals(0, apply.exitCode(), apply.toString());

                Map<String, String> placed = new TreeMap<>();
                for (int i = 1; i <= 6; i++) {
                    JsonNode vm = a.await("VM", "w" + i, v -> "Running".equals(v.path("status").path("phase").asText())
                            && v.path("spec").path("nodeName").asText().equals(v.path("status").path("nodeName").asText()), BOUND);
                    placed.put("w" + i, vm.path("spec").path("nodeName").asText());
                }
                Map<String, Integer> perNode = new HashMap<>();
                placed.values().forEach(n -> perNode.merge(n, 1, Integer::sum));
                assertEquals(Map.of("node-a", 2, "node-b", 2, "node-c", 2), perNode, "spread by least allocation: " + placed);
                Hyprctl.Run wide = ctl.run("get", "vms", "-o", "wide");
                assertTrue(wide.stdout().contains("NODE"), wide.stdout());
                for (Map.Entry<String, String> p : placed.entrySet()) {
                    assertTrue(wide.stdout().matches("(?s).*" + p.getKey() + "\\s.*" + p.getValue() + ".*"), wide.stdout());
                }
                Map<String, List<String>> running = qemus();
                assertEquals(placed.keySet(), running.keySet(), running.toString());
                running.forEach((vm, procs) -> assertEquals(List.of(placed.get(vm)), procs.stream().map(p -> p.substring(0, p.indexOf(':'))).toList()));

                // the scheduler's host dies: hyprd and its QEMUs, kill -9
                String lost = leader(nodes);
                assertTrue(lost != null, "one hyprd says it leads the scheduler");
                nodes.get(lost).kill9();
                killQemusOf(lost);
                String survivorName = lost.equals("node-a") ? "node-b" : "node-a";
                HyprdProcess survivor = nodes.get(survivorName);
                List<String> moved = placed.entrySet().stream().filter(e -> e.getValue().equals(lost)).map(Map.Entry::getKey).toList();
                for (String vm : moved) {
                    JsonNode v = survivor.await("VM", vm, o -> !o.path("spec").path("nodeName").asText(lost).equals(lost)
                            && !o.path("spec").path("nodeName").asText().isEmpty()
                            && "Running".equals(o.path("status").path("phase").asText())
                            && o.path("spec").path("nodeName").asText().equals(o.path("status").path("nodeName").asText()), BOUND);
                    assertTrue(!v.path("spec").path("nodeName").asText().equals(lost));
                }
                Map<String, HyprdProcess> alive = new LinkedHashMap<>(nodes);
                alive.remove(lost);
                String newLeader = leader(alive);
                assertTrue(newLeader != null && !newLeader.equals(lost), "another hyprd leads the scheduler: " + newLeader);
                // a node shows the events others recorded after it started only once it restarts: ask every live one
                StringBuilder events = new StringBuilder();
                for (HyprdProcess p : alive.values()) {
                    events.append(new Hyprctl(p.socket(), dir).run("events", "vm/" + moved.get(0)).stdout());
                }
                assertTrue(events.toString().contains("NodeLost") && events.toString().contains("Scheduled"), events.toString());
                Map<String, List<String>> after = qemus();
                assertEquals(placed.keySet(), after.keySet(), after.toString());
                after.forEach((vm, procs) -> assertEquals(1, procs.size(), vm + ": " + procs));

                // the dead node returns: its leftovers (runtime directories) go, the objects stay where they are
                Path leftovers = dir.resolve(lost).resolve("runtime/vms");
                assertTrue(Files.list(leftovers).findAny().isPresent(), "the killed node left runtime directories");
                nodes.get(lost).launch();
                survivor.await("Node", lost, SchedulerIT::ready, BOUND);
                long deadline = System.nanoTime() + BOUND.toNanos();
                while (Files.list(leftovers).findAny().isPresent()) {
                    assertTrue(System.nanoTime() < deadline, "leftovers not removed: " + Files.list(leftovers).toList());
                    Thread.sleep(200);
                }
                for (String vm : moved) {
                    assertTrue(!survivor.object("VM", vm).orElseThrow().path("spec").path("nodeName").asText().equals(lost));
                }

                assertTrue(doubles.isEmpty(), "a VM ran on two nodes at once: " + doubles);
            } finally {
                sampler.interrupt();
                for (HyprdProcess p : nodes.values()) {
                    p.close();
                }
                for (String n : NODES) {
                    killQemusOf(n); // hyprd leaves VMs running when it stops
                }
            }
        }
    }
}
