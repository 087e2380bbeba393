package dev.hypr.controller.it.cluster;

import dev.hypr.controller.host.TestProgram;
import dev.hypr.controller.net.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real 3-member etcd cluster for cluster tests: one member inside each node's network
 * namespace, on that node's address (client port 2379, peer port 2380), data in {@code dir}.
 * Ready once every member answers healthy; {@link #close()} kills all members.
 */
final class EtcdCluster implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private final List<Process> members = new ArrayList<>();
    private final List<NetNs> namespaces;
    private final List<String> addresses;
    private final Path dir;

    private EtcdCluster(List<NetNs> namespaces, List<String> addresses, Path dir) {
        this.namespaces = namespaces;
        this.addresses = addresses;
        this.dir = dir;
    }

    static EtcdCluster start(List<NetNs> namespaces, List<String> addresses, Path dir) throws Exception {
        EtcdCluster c = new EtcdCluster(namespaces, addresses, dir);
        try {
            c.launch();
            c.awaitHealthy();
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void launch() throws IOException {
        StringJoiner initial = new StringJoiner(",");
        for (int i = 0; i < addresses.size(); i++) {
            initial.add(member(i) + "=http://" + addresses.get(i) + ":2380");
        }
        String token = "hypr-it-" + UUID.randomUUID();
        for (int i = 0; i < addresses.size(); i++) {
            String client = "http://" + addresses.get(i) + ":2379";
            String peer = "http://" + addresses.get(i) + ":2380";
            List<String> cmd = new ArrayList<>(namespaces.get(i).prefix());
            cmd.addAll(List.of(TestProgram.ETCD.program(), "--name", member(i), "--data-dir", dir.resolve(member(i)).toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", initial.toString(), "--initial-cluster-state", "new", "--initial-cluster-token", token));
            Files.createDirectories(dir);
            members.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(member(i) + ".log").toFile()).start());
        }
    }

    private static String member(int i) {
        return "e" + (i + 1);
    }

    /** What HYPR_STORE says to use all members. */
    String storeUrl() {
        return "etcd://" + String.join(",", addresses.stream().map(a -> a + ":2379").toList());
    }

    boolean healthy(int i) throws IOException, InterruptedException {
        return namespaces.get(i).tryExec(TestProgram.ETCDCTL.program(), "--endpoints=http://" + addresses.get(i) + ":2379",
                "--command-timeout=3s", "endpoint", "health").exitCode() == 0;
    }

    private void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        for (int i = 0; i < addresses.size(); i++) {
            while (!healthy(i)) {
                if (!members.get(i).isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("etcd member " + member(i) + " not healthy within " + READY_WITHIN + ": "
                            + Files.readString(dir.resolve(member(i) + ".log")));
                }
                Thread.sleep(200); // polling a condition
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : members) {
            p.destroyForcibly();
        }
        for (Process p : members) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
