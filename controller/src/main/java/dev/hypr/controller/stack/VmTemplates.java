package dev.hypr.controller.stack;

import dev.hypr.api.model.SecretFileMount;
import dev.hypr.api.model.StackFile;
import dev.hypr.api.model.StackService;
import dev.hypr.api.model.StackSpec;
import dev.hypr.api.model.StackVolume;
import dev.hypr.api.model.VmNetwork;
import dev.hypr.api.model.VmSpec;
import dev.hypr.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The VM spec a Stack service becomes, for one replica: stack volume and network names are
 * turned into the objects behind them, compose secrets into {@code spec.secrets}. Pure.
 */
public final class VmTemplates {
    static final String SECRETS_DIR = "/run/secrets/";

    /**
     * @param spec the VM spec, null when a problem makes the service impossible to run
     * @param problems why the service cannot run (never a secret value)
     * @param notes what is not carried over but does not stop the service
     */
    public record Built(VmSpec spec, List<String> problems, List<String> notes) {
    }

    private VmTemplates() {
    }

    public static Built build(String stack, StackSpec stackSpec, StackService s, String vmName) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, StackVolume> volumes = stackSpec.volumes() == null ? Map.of()
                : stackSpec.volumes().stream().collect(Collectors.toMap(StackVolume::name, Function.identity(), (a, b) -> a));
        List<VolumeMount> mounts = null;
        if (s.volumes() != null) {
            mounts = new ArrayList<>();
            for (VolumeMount m : s.volumes()) {
                if (m.volumeRef() == null) {
                    mounts.add(m);
                    continue;
                }
                StackVolume v = volumes.get(m.volumeRef());
                if (v == null) {
                    problems.add("volume " + m.volumeRef() + " is not in the stack's spec.volumes");
                    continue;
                }
                String object = Boolean.TRUE.equals(v.scratch()) ? StackLabels.scratchObject(vmName, v.name())
                        : StackLabels.volumeObject(stack, v);
                mounts.add(new VolumeMount(m.name(), object, null, m.mountPath(), m.readOnly()));
            }
        }
        List<SecretFileMount> secrets = secrets(s, problems);
        if (s.configs() != null && !s.configs().isEmpty()) {
            problems.add("configs (" + s.configs().stream().map(StackFile::name).collect(Collectors.joining(", "))
                    + ") cannot be placed in a VM yet: VMs only receive files at /run/secrets/NAME");
        }
        // several compose networks: one NIC each (spec.networks); one keeps the spec.network shorthand
        List<String> networks = networks(stack, s);
        VmSpec vm = new VmSpec(s.image(), s.rootfs(), null, s.command(), s.args(), s.env(), s.workingDir(), s.user(), s.cpus(),
                s.memoryMiB(), s.ports(), networks.size() > 1 ? null : network(stack, s), mounts, s.restartPolicy(), null,
                s.healthcheck(), null, s.stopTimeoutSeconds(), secrets, hostname(s, notes),
                networks.size() > 1 ? networks.stream().map(VmNetwork::new).toList() : null);
        return new Built(problems.isEmpty() ? vm : null, problems, notes);
    }

    /** compose's {@code hostname} when it is a DNS label (a VM's rule); otherwise the VM name, with a note. */
    private static String hostname(StackService s, List<String> notes) {
        if (s.hostname() == null || s.hostname().matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
            return s.hostname();
        }
        notes.add("hostname " + s.hostname() + " is not a DNS label: the guest's host name is the VM name");
        return null;
    }

    /** The Network objects a service's VMs join, in its order (the first is eth0); none for {@code networks: []}. */
    public static List<String> networks(String stack, StackService s) {
        if (s.networks() == null) {
            return List.of(StackLabels.networkObject(stack, StackLabels.DEFAULT_NETWORK));
        }
        return s.networks().stream().map(n -> StackLabels.networkObject(stack, n)).toList();
    }

    /** The Network object (or "none") a service's VMs' first NIC joins. */
    public static String network(String stack, StackService s) {
        if (s.networks() == null) {
            return StackLabels.networkObject(stack, StackLabels.DEFAULT_NETWORK);
        }
        return s.networks().isEmpty() ? "none" : StackLabels.networkObject(stack, s.networks().get(0));
    }

    private static List<SecretFileMount> secrets(StackService s, List<String> problems) {
        if (s.secrets() == null || s.secrets().isEmpty()) {
            return null;
        }
        List<SecretFileMount> out = new ArrayList<>();
        for (StackFile f : s.secrets()) {
            String file = f.mountPath() != null && f.mountPath().startsWith(SECRETS_DIR) ? f.mountPath().substring(SECRETS_DIR.length()) : null;
            if (file == null || file.isEmpty() || file.contains("/")) {
                problems.add("secret " + f.name() + ": mount path " + f.mountPath() + " is not supported; VMs receive secrets at "
                        + SECRETS_DIR + "NAME only");
            } else if (f.hostPath() == null) {
                problems.add("secret " + f.name() + " comes from the client's environment"
                        + (f.environment() == null ? "" : " variable " + f.environment())
                        + ", which hyprd cannot read: apply the stack with hyprctl compose up, which stores the value in a file only"
                        + " you can read and names it as hostPath");
            } else if (!f.hostPath().startsWith("/")) {
                problems.add("secret " + f.name() + ": hostPath " + f.hostPath() + " is relative; apply the file with hyprctl so it"
                        + " is made absolute");
            } else {
                out.add(new SecretFileMount(file, f.hostPath()));
            }
        }
        return out;
    }
}
