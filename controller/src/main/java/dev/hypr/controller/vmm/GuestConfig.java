package dev.hypr.controller.vmm;

import dev.hypr.controller.agent.KeyValueText;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Kestrel needs to know at boot; travels base64url-encoded as {@code hypr.cfg=} on the
 * kernel command line (guest/PROTOCOL.md). env entries are "NAME=value"; user is "uid[:gid]";
 * ipCidr is "10.0.2.15/24"; mounts are "device:path[:fstype[:options]]".
 */
public record GuestConfig(List<String> argv, List<String> env, Optional<String> workingDir, Optional<String> user,
                          Optional<String> hostname, Optional<String> ipCidr, Optional<String> gateway,
                          List<String> dns, List<String> mounts, RestartPolicy restartPolicy) {
    /** What Kestrel does when the workload ends: NEVER powers the VM off, the others restart it in the guest. */
    public enum RestartPolicy { NEVER, ON_FAILURE, ALWAYS }

    public GuestConfig {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        dns = List.copyOf(dns);
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(workingDir);
        Objects.requireNonNull(user);
        Objects.requireNonNull(hostname);
        Objects.requireNonNull(ipCidr);
        Objects.requireNonNull(gateway);
        Objects.requireNonNull(restartPolicy);
    }

    public static GuestConfig workload(String... argv) {
        return new GuestConfig(List.of(argv), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), RestartPolicy.NEVER);
    }

    public GuestConfig withHostname(String name) {
        return new GuestConfig(argv, env, workingDir, user, Optional.of(name), ipCidr, gateway, dns, mounts, restartPolicy);
    }

    public GuestConfig withNetwork(String cidr, String gw, List<String> nameservers) {
        return new GuestConfig(argv, env, workingDir, user, hostname, Optional.of(cidr), Optional.of(gw), nameservers,
                mounts, restartPolicy);
    }

    public GuestConfig withEnv(List<String> environment) {
        return new GuestConfig(argv, environment, workingDir, user, hostname, ipCidr, gateway, dns, mounts, restartPolicy);
    }

    public GuestConfig withRestartPolicy(RestartPolicy policy) {
        return new GuestConfig(argv, env, workingDir, user, hostname, ipCidr, gateway, dns, mounts, policy);
    }

    /** The value of {@code hypr.cfg=}. */
    public String encode() {
        KeyValueText kv = new KeyValueText().addAll("arg", argv).addAll("env", env);
        workingDir.ifPresent(v -> kv.add("cwd", v));
        user.ifPresent(v -> kv.add("user", v));
        hostname.ifPresent(v -> kv.add("hostname", v));
        ipCidr.ifPresent(v -> kv.add("ip", v));
        gateway.ifPresent(v -> kv.add("gw", v));
        kv.addAll("dns", dns).addAll("mount", mounts);
        kv.add("restart", switch (restartPolicy) {
            case NEVER -> "never";
            case ON_FAILURE -> "on-failure";
            case ALWAYS -> "always";
        });
        return kv.toBase64Url();
    }
}
