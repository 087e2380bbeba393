package dev.hypr.api.compose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The support matrix: every compose-spec top-level and service key, what it becomes and whether it
 * is supported, accepted without effect, warned about or rejected. The translator reads it to
 * know the keys (anything else is a typo, an error) and to warn or reject; docs/compose.md is
 * checked against it.
 */
public final class ComposeKeys {
    /** How a key is handled. */
    public enum Status {
        /** Translated into the Stack. */
        SUPPORTED,
        /** Valid and needs no translation (its effect is how hypr works anyway); no warning. */
        ACCEPTED,
        /** Valid compose but without effect here: a warning at the key. */
        WARNED,
        /** Cannot be honoured safely: an error at the key. */
        REJECTED
    }

    /** One row of the matrix. */
    public record Key(String name, Status status, String becomes) {
    }

    public static final Map<String, Key> TOP_LEVEL = table(
            "version", Status.WARNED, "obsolete: ignored, with a warning, as compose does",
            "name", Status.SUPPORTED, "Stack name (after -p and COMPOSE_PROJECT_NAME), normalised as compose does",
            "services", Status.SUPPORTED, "spec.services, one entry per enabled service",
            "networks", Status.SUPPORTED, "spec.networks (name, ipam subnet); other drivers, external, internal: warning",
            "volumes", Status.SUPPORTED, "spec.volumes (name, external); other drivers and driver_opts: warning",
            "secrets", Status.SUPPORTED, "file or environment source of each service's secrets; external: error",
            "configs", Status.SUPPORTED, "file, environment or content of each service's configs; external: error",
            "include", Status.SUPPORTED, "the included files' services, networks, volumes, secrets, configs (redefining one is an error)",
            "models", Status.WARNED, "no effect");

    public static final Map<String, Key> SERVICE = table(
            "image", Status.SUPPORTED, "image (not pulled while translating)",
            "build", Status.SUPPORTED, "build reference (context, dockerfile, dockerfile_inline, target, args), built by compose up/build; "
                    + "image defaults to <project>-<service>",
            "command", Status.SUPPORTED, "args (a string is split like a shell, not run by sh -c)",
            "entrypoint", Status.SUPPORTED, "command (a string is split like a shell)",
            "environment", Status.SUPPORTED, "env (map or list; non-string values as text; a bare KEY takes the project environment)",
            "env_file", Status.SUPPORTED, "env, read from the files (string, list, {path, required})",
            "ports", Status.SUPPORTED, "ports (short and long form, host IP, ranges, /udp; no host port: an ephemeral one)",
            "expose", Status.ACCEPTED, "nothing: every port of a VM is reachable on its networks",
            "volumes", Status.SUPPORTED, "volumes: named → volumeRef, path → hostPath, anonymous/tmpfs → scratch volume; :ro; `:nocopy` / long-form `volume.nocopy: true` → `copyFromImage: false` (named and anonymous volumes; a host path is never filled); long-form `bind.create_host_path` → `createHostPath` (unset: the host directory is created, as compose does; `false`: a missing one is an error); `bind.propagation`, `bind.selinux`: warning",
            "depends_on", Status.SUPPORTED, "dependsOn + dependencies (condition, required, restart); unknown target or cycle: error",
            "healthcheck", Status.SUPPORTED, "healthcheck.exec (CMD, CMD-SHELL via /bin/sh -c; NONE/disable: none), compose's default timings; start_period, start_interval: startPeriodSeconds, startIntervalSeconds",
            "restart", Status.SUPPORTED, "restartPolicy (no → Never, always/unless-stopped → Always, on-failure[:N] → OnFailure + maxRestarts)",
            "deploy", Status.SUPPORTED, "replicas, resources limits (reservations as fallback) → cpus, memoryMiB; other keys: warning; GPU devices: error",
            "scale", Status.SUPPORTED, "replicas",
            "cpus", Status.SUPPORTED, "cpus (rounded up)",
            "cpu_count", Status.SUPPORTED, "cpus",
            "mem_limit", Status.SUPPORTED, "memoryMiB",
            "mem_reservation", Status.SUPPORTED, "memoryMiB when no limit is given",
            "networks", Status.SUPPORTED, "networks (one NIC per network, the first carries the default route and ports); aliases → aliases; ipv4_address and other attachment options: warning",
            "network_mode", Status.SUPPORTED, "bridge/default: the stack network; none: no network; host, container:, service: error",
            "links", Status.SUPPORTED, "aliases of the linked service",
            "container_name", Status.SUPPORTED, "an alias (VM names stay <project>-<service>-<n>); with replicas > 1: error",
            "labels", Status.SUPPORTED, "labels (map or list)",
            "hostname", Status.SUPPORTED, "hostname",
            "user", Status.SUPPORTED, "user",
            "working_dir", Status.SUPPORTED, "workingDir",
            "stop_signal", Status.SUPPORTED, "stopSignal: the VM's spec.stopSignal, sent by Kestrel to the workload when the VM is stopped",
            "stop_grace_period", Status.SUPPORTED, "stopTimeoutSeconds",
            "secrets", Status.SUPPORTED, "secrets: the VM's spec.secrets, a file at /run/secrets/<name> (or target) with uid, gid, mode (default 0400); kept on tmpfs, the value never enters the object",
            "configs", Status.SUPPORTED, "configs: the VM's spec.files, a file at /<name> (or target) with uid, gid, mode (default 0444), written before the workload starts",
            "profiles", Status.SUPPORTED, "the service is left out unless a profile is active (--profile, COMPOSE_PROFILES)",
            "extends", Status.SUPPORTED, "the base service merged under this one (same file or file:)",
            "runtime", Status.SUPPORTED, "runc/default: nothing; any other runtime (e.g. wasm): error",
            "gpus", Status.REJECTED, "error: no GPU passthrough",
            "platform", Status.WARNED, "no effect: images are used for the host's architecture",
            "pull_policy", Status.SUPPORTED, "`build` (with build:): the image is built on every up; other values: warning (images are pulled when missing)",
            "tty", Status.WARNED, "no effect",
            "stdin_open", Status.WARNED, "no effect",
            "init", Status.WARNED, "no effect (the guest agent is PID 1 and reaps children)",
            "logging", Status.WARNED, "no effect (the guest agent captures output)",
            "privileged", Status.WARNED, "no effect: the workload owns its VM",
            "cap_add", Status.WARNED, "no effect",
            "cap_drop", Status.WARNED, "no effect",
            "security_opt", Status.WARNED, "no effect",
            "sysctls", Status.WARNED, "no effect",
            "ulimits", Status.WARNED, "no effect",
            "shm_size", Status.WARNED, "no effect",
            "tmpfs", Status.WARNED, "no effect",
            "read_only", Status.WARNED, "no effect",
            "devices", Status.WARNED, "no effect",
            "device_cgroup_rules", Status.WARNED, "no effect",
            "dns", Status.WARNED, "no effect (the stack network's DNS is used)",
            "dns_opt", Status.WARNED, "no effect",
            "dns_search", Status.WARNED, "no effect",
            "extra_hosts", Status.WARNED, "no effect",
            "domainname", Status.WARNED, "no effect",
            "mac_address", Status.WARNED, "no effect",
            "external_links", Status.WARNED, "no effect",
            "volumes_from", Status.WARNED, "no effect",
            "ipc", Status.WARNED, "no effect",
            "pid", Status.WARNED, "no effect",
            "uts", Status.WARNED, "no effect",
            "userns_mode", Status.WARNED, "no effect",
            "cgroup", Status.WARNED, "no effect",
            "cgroup_parent", Status.WARNED, "no effect",
            "isolation", Status.WARNED, "no effect",
            "group_add", Status.WARNED, "no effect",
            "oom_kill_disable", Status.WARNED, "no effect",
            "oom_score_adj", Status.WARNED, "no effect",
            "pids_limit", Status.WARNED, "no effect",
            "blkio_config", Status.WARNED, "no effect",
            "cpu_percent", Status.WARNED, "no effect",
            "cpu_period", Status.WARNED, "no effect",
            "cpu_quota", Status.WARNED, "no effect",
            "cpu_rt_period", Status.WARNED, "no effect",
            "cpu_rt_runtime", Status.WARNED, "no effect",
            "cpu_shares", Status.WARNED, "no effect",
            "cpuset", Status.WARNED, "no effect",
            "mem_swappiness", Status.WARNED, "no effect",
            "memswap_limit", Status.WARNED, "no effect",
            "storage_opt", Status.WARNED, "no effect",
            "credential_spec", Status.WARNED, "no effect",
            "annotations", Status.WARNED, "no effect",
            "attach", Status.WARNED, "no effect",
            "develop", Status.WARNED, "no effect (compose watch)",
            "post_start", Status.WARNED, "no effect",
            "pre_stop", Status.WARNED, "no effect",
            "label_file", Status.WARNED, "no effect",
            "use_api_socket", Status.WARNED, "no effect: there is no Docker API in a guest",
            "provider", Status.WARNED, "no effect",
            "models", Status.WARNED, "no effect",
            "driver_opts", Status.WARNED, "no effect");

    static final Set<String> DEPLOY_KEYS = Set.of("mode", "replicas", "resources", "restart_policy", "placement",
            "update_config", "rollback_config", "labels", "endpoint_mode");

    private ComposeKeys() {
    }

    private static Map<String, Key> table(Object... rows) {
        Map<String, Key> keys = new LinkedHashMap<>();
        for (int i = 0; i < rows.length; i += 3) {
            keys.put((String) rows[i], new Key((String) rows[i], (Status) rows[i + 1], (String) rows[i + 2]));
        }
        return java.util.Collections.unmodifiableMap(keys);
    }
}
