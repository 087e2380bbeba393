package dev.hypr.controller.vmm;

import dev.hypr.controller.agent.KeyValueText;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Kestrel needs to know, in two parts (guest/PROTOCOL.md). The boot part (hostname,
 * network, mounts) travels base64url-encoded as {@code hypr.cfg=} on the kernel command line,
 * which any local user can read in /proc/PID/cmdline. The workload part (argv, env, working
 * directory, user, restart policy, secret files) may hold secrets, so it travels only over the
 * agent channel as a CONFIG frame after Kestrel connects. env entries are "NAME=value"; user
 * is "uid[:gid]"; ipCidr is "10.0.2.15/24"; mounts are "device:path[:fstype[:options]]";
 * shares are virtiofs mounts, "tag:path:ro|rw".
 */
public record GuestConfig(List<String> argv, List<String> env, Optional<String> workingDir, Optional<String> user,
                          Optional<String> hostname, Optional<String> ipCidr, Optional<String> gateway,
                          List<String> dns, List<String> mounts, RestartPolicy restartPolicy, List<SecretFile> secrets,
                          Optional<HealthProbe> health, List<VolumeMountEntry> volumes, List<String> shares) {
    /** The largest CONFIG payload: one frame (PROTOCOL.md, 3). */
    public static final int MAX_WORKLOAD_BYTES = 1 << 20;

    /** What Kestrel does when the workload ends: NEVER powers the VM off, the others restart it in the guest. */
    public enum RestartPolicy { NEVER, ON_FAILURE, ALWAYS }

    /**
     * A file Kestrel writes to /run/secrets/NAME (tmpfs) before it starts the workload; with
     * {@code mountPath}, also bind-mounted read-only there (a build step's secret target).
     */
    public record SecretFile(String name, byte[] content, Optional<String> mountPath) {
        public SecretFile {
            Objects.requireNonNull(name);
            content = content.clone();
            Objects.requireNonNull(mountPath);
        }

        public SecretFile(String name, byte[] content) {
            this(name, content, Optional.empty());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SecretFile s && s.name.equals(name) && Arrays.equals(s.content, content) && s.mountPath.equals(mountPath);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return "SecretFile[" + name + ", " + content.length + " bytes]"; // never the content
        }
    }

    /**
     * A volume Kestrel mounts before the workload starts: the disk with this virtio-blk serial at
     * mountPath; copyFromImage fills a new volume with the image's files there (PROTOCOL.md, 6).
     */
    public record VolumeMountEntry(String serial, String mountPath, boolean readOnly, boolean copyFromImage) {
        public VolumeMountEntry {
            Objects.requireNonNull(serial);
            Objects.requireNonNull(mountPath);
            if (serial.contains(":")) {
                throw new IllegalArgumentException("a disk serial has no ':': " + serial);
            }
        }

        /** {@code serial:ro|rw:copy|nocopy:mountPath}: the path last, so it may hold ':'. */
        String encode() {
            return serial + ":" + (readOnly ? "ro" : "rw") + ":" + (copyFromImage ? "copy" : "nocopy") + ":" + mountPath;
        }
    }

    public GuestConfig {
        volumes = List.copyOf(volumes);
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        dns = List.copyOf(dns);
        mounts = List.copyOf(mounts);
        secrets = List.copyOf(secrets);
        shares = List.copyOf(shares);
        Objects.requireNonNull(workingDir);
        Objects.requireNonNull(user);
        Objects.requireNonNull(hostname);
        Objects.requireNonNull(ipCidr);
        Objects.requireNonNull(gateway);
        Objects.requireNonNull(restartPolicy);
        Objects.requireNonNull(health);
    }

    public GuestConfig(List<String> argv, List<String> env, Optional<String> workingDir, Optional<String> user,
                       Optional<String> hostname, Optional<String> ipCidr, Optional<String> gateway,
                       List<String> dns, List<String> mounts, RestartPolicy restartPolicy, List<SecretFile> secrets) {
        this(argv, env, workingDir, user, hostname, ipCidr, gateway, dns, mounts, restartPolicy, secrets, Optional.empty(), List.of(), List.of());
    }

    public GuestConfig(List<String> argv, List<String> env, Optional<String> workingDir, Optional<String> user,
                       Optional<String> hostname, Optional<String> ipCidr, Optional<String> gateway,
                       List<String> dns, List<String> mounts, RestartPolicy restartPolicy, List<SecretFile> secrets,
                       Optional<HealthProbe> health) {
        this(argv, env, workingDir, user, hostname, ipCidr, gateway, dns, mounts, restartPolicy, secrets, health, List.of(), List.of());
    }

    /** Host directories Kestrel mounts over virtiofs: {@code <tag>:<mountPath>:<ro|rw>} (VmShare.bootEntry). */
    public GuestConfig withShares(List<String> entries) {
        return new GuestConfig(argv, env, workingDir, user, hostname, ipCidr, gateway, dns, mounts, restartPolicy, secrets, health, volumes, entries);
    }

    /** The health check Kestrel runs (travels in CONFIG). */
    public GuestConfig withHealth(Optional<HealthProbe> probe) {
        return new GuestConfig(argv, env, workingDir, user, hostname, ipCidr, gateway, dns, mounts, restartPolicy, secrets, probe, volumes, shares);
    }

    /** The volumes Kestrel mounts (travel in CONFIG), parents before what is mounted inside them. */
    public GuestConfig withVolumes(List<VolumeMountEntry> entries) {
        return new GuestConfig(argv, env, workingDir, user, hostname, ipCidr, gateway, dns, mounts, restartPolicy, secrets, health, entries, shares);
    }

    public static GuestConfig workload(String... argv) {
        return new GuestConfig(List.of(argv), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), RestartPolicy.NEVER, List.of());
    }

    public GuestConfig withHostname(String name) {
        return new GuestConfig(argv, env, workingDir, user, Optional.of(name), ipCidr, gateway, dns, mounts, restartPolicy, secrets, health, volumes, shares);
    }

    public GuestConfig withNetwork(String cidr, String gw, List<String> nameservers) {
        return new GuestConfig(argv, env, workingDir, user, hostname, Optional.of(cidr), Optional.of(gw), nameservers,
                mounts, restartPolicy, secrets, health, volumes, shares);
    }

    public GuestConfig withEnv(List<String> environment) {
        return new GuestConfig(argv, environment, workingDir, user, hostname, ipCidr, gateway, dns, mounts, restartPolicy, secrets, health, volumes, shares);
    }

    public GuestConfig withRestartPolicy(RestartPolicy policy) {
        return new GuestConfig(argv, env, workingDir, user, hostname, ipCidr, gateway, dns, mounts, policy, secrets, health, volumes, shares);
    }

    public GuestConfig withSecrets(List<SecretFile> files) {
        return new GuestConfig(argv, env, workingDir, user, hostname, ipCidr, gateway, dns, mounts, restartPolicy, files, health, volumes, shares);
    }

    /** The value of {@code hypr.cfg=}: only what Kestrel needs before the agent channel is up. Never secret. */
    public String encodeBoot() {
        KeyValueText kv = new KeyValueText();
        hostname.ifPresent(v -> kv.add("hostname", v));
        ipCidr.ifPresent(v -> kv.add("ip", v));
        gateway.ifPresent(v -> kv.add("gw", v));
        kv.addAll("dns", dns).addAll("mount", mounts).addAll("share", shares);
        return kv.toBase64Url();
    }

    /**
     * The payload of the CONFIG frame. Secret file contents are base64 (they may hold NUL,
     * which separates entries). Throws IllegalArgumentException for NUL in a value or a payload
     * over {@link #MAX_WORKLOAD_BYTES}.
     */
    public byte[] encodeWorkload() {
        KeyValueText kv = new KeyValueText().addAll("arg", argv).addAll("env", env);
        workingDir.ifPresent(v -> kv.add("cwd", v));
        user.ifPresent(v -> kv.add("user", v));
        kv.add("restart", switch (restartPolicy) {
            case NEVER -> "never";
            case ON_FAILURE -> "on-failure";
            case ALWAYS -> "always";
        });
        for (SecretFile s : secrets) {
            kv.add("secret", s.name() + ":" + Base64.getEncoder().encodeToString(s.content()));
            s.mountPath().ifPresent(path -> kv.add("secret_at", s.name() + ":" + path));
        }
        health.ifPresent(h -> h.encode(kv));
        for (VolumeMountEntry v : volumes) {
            kv.add("volume", v.encode());
        }
        byte[] bytes = kv.toBytes();
        if (bytes.length > MAX_WORKLOAD_BYTES) {
            throw new IllegalArgumentException("workload config is " + bytes.length + " bytes; at most "
                    + MAX_WORKLOAD_BYTES + " fit in one agent frame (env, args and secrets together)");
        }
        return bytes;
    }

    @Override
    public String toString() {
        // env values may be secret: a record's default toString would print them into logs
        return "GuestConfig[argv=" + argv.size() + " args, env=" + env.size() + " vars, hostname=" + hostname.orElse("")
                + ", secrets=" + secrets.size() + "]";
    }
}
