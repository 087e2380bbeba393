package dev.hypr.controller.stack;

import dev.hypr.api.Json;
import dev.hypr.api.codec.JsonPointers;
import dev.hypr.api.model.GuestFile;
import dev.hypr.api.model.SecretFileMount;
import dev.hypr.api.model.StackFile;
import dev.hypr.api.model.StackService;
import dev.hypr.api.model.StackSpec;
import dev.hypr.api.model.StackVolume;
import dev.hypr.api.model.VmNetwork;
import dev.hypr.api.model.VmSpec;
import dev.hypr.api.model.VolumeMount;
import dev.hypr.api.validation.GuestFileRules;
import dev.hypr.api.validation.StopSignals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The VM spec a Stack service becomes, for one replica: stack volume and network names are
 * turned into the objects behind them, compose secrets into {@code spec.secrets}, configs into
 * {@code spec.files}, stop_signal and on-failure:N into stopSignal and maxRestarts. Pure.
 */
public final class VmTemplates {
    private static final int SIGTERM = 15;

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
        List<GuestFile> files = configs(s, problems);
        // several compose networks: one NIC each (spec.networks); one keeps the spec.network shorthand
        List<String> networks = networks(stack, s);
        VmSpec vm = new VmSpec(s.image(), s.rootfs(), null, s.command(), s.args(), s.env(), s.workingDir(), s.user(), s.cpus(),
                s.memoryMiB(), s.ports(), networks.size() > 1 ? null : network(stack, s), mounts, s.restartPolicy(), null,
                s.healthcheck(), null, s.stopTimeoutSeconds(), secrets, hostname(s, notes),
                networks.size() > 1 ? networks.stream().map(VmNetwork::new).toList() : null, files, stopSignal(s, problems),
                "OnFailure".equals(s.restartPolicy()) ? s.maxRestarts() : null, null, null);
        GuestFileRules.check(Json.MAPPER.valueToTree(vm), "/spec", (pointer, message) ->
                problems.add("the VM's " + JsonPointers.toFieldPath(pointer) + ": " + message));
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

    /** compose's stop_signal; SIGTERM is the VM's default, so it is left out (no VM changes for the default). */
    private static String stopSignal(StackService s, List<String> problems) {
        if (s.stopSignal() == null) {
            return null;
        }
        OptionalInt number = StopSignals.number(s.stopSignal());
        if (number.isEmpty()) {
            problems.add("stopSignal \"" + s.stopSignal() + "\" is not a signal");
            return null;
        }
        return number.getAsInt() == SIGTERM ? null : s.stopSignal();
    }

    /** Secrets and configs come from a host file the client named; one from its environment must be made a file first. */
    private static boolean fromHostFile(String kind, StackFile f, List<String> problems) {
        if (f.hostPath() == null) {
            problems.add(kind + " " + f.name() + " comes from the client's environment"
                    + (f.environment() == null ? "" : " variable " + f.environment())
                    + ", which hyprd cannot read: apply the stack with hyprctl compose up, which stores the value in a file only"
                    + " you can read and names it as hostPath");
            return false;
        }
        if (!f.hostPath().startsWith("/")) {
            problems.add(kind + " " + f.name() + ": hostPath " + f.hostPath() + " is relative; apply the file with hyprctl so it"
                    + " is made absolute");
            return false;
        }
        return true;
    }

    private static List<SecretFileMount> secrets(StackService s, List<String> problems) {
        if (s.secrets() == null || s.secrets().isEmpty()) {
            return null;
        }
        List<SecretFileMount> out = new ArrayList<>();
        for (StackFile f : s.secrets()) {
            if (fromHostFile("secret", f, problems)) {
                // a file directly in /run/secrets is named by its file name, as a VM written by hand would be
                String file = f.mountPath() != null && f.mountPath().startsWith(SecretFileMount.DEFAULT_DIR)
                        ? f.mountPath().substring(SecretFileMount.DEFAULT_DIR.length()) : "";
                boolean plain = file.matches("[A-Za-z0-9][A-Za-z0-9._-]*");
                out.add(new SecretFileMount(plain ? file : f.name(), f.hostPath(), plain ? null : f.mountPath(), f.uid(), f.gid(), f.mode()));
            }
        }
        return out;
    }

    /** compose configs become spec.files: inline content stays inline, a file source is read by hyprd at boot. */
    private static List<GuestFile> configs(StackService s, List<String> problems) {
        if (s.configs() == null || s.configs().isEmpty()) {
            return null;
        }
        List<GuestFile> out = new ArrayList<>();
        for (StackFile f : s.configs()) {
            if (f.content() != null) {
                out.add(new GuestFile(f.mountPath(), f.content(), null, f.uid(), f.gid(), f.mode()));
            } else if (fromHostFile("config", f, problems)) {
                out.add(new GuestFile(f.mountPath(), null, f.hostPath(), f.uid(), f.gid(), f.mode()));
            }
        }
        return out;
    }
}
