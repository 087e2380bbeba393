package dev.hypr.api.compose;

import dev.hypr.api.compose.YNode.YList;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * {@code deploy:}: replicas and resources (limits, reservations as the fallback) size the VMs;
 * GPU reservations are refused; the swarm-only keys are warned about.
 */
final class DeploySpecs {
    private DeploySpecs() {
    }

    static Integer apply(YMap deploy, String path, ServiceTranslator.Resources resources, Problems problems, Integer replicas,
                         BiFunction<YScalar, String, Integer> integer) {
        KeyCheck.only(deploy, path, ComposeKeys.DEPLOY_KEYS, problems);
        for (String key : deploy.entries().keySet()) {
            if (!Set.of("replicas", "resources", "mode").contains(key) && !key.startsWith("x-")) {
                problems.warn(deploy.keyPosition(key), path + "." + key, "deploy." + key + " has no effect here");
            }
        }
        if (deploy.get("mode") instanceof YScalar mode && !mode.text().equals("replicated")) {
            problems.warn(mode.position(), path + ".mode", "deploy mode \"" + mode.text() + "\" has no effect here: one host, replicas VMs");
        }
        if (deploy.get("replicas") instanceof YScalar r) {
            replicas = integer.apply(r, path + ".replicas");
        }
        if (deploy.get("resources") instanceof YMap res) {
            KeyCheck.only(res, path + ".resources", Set.of("limits", "reservations"), problems);
            // Reservations first, so limits (the VM's actual size) win when both are given.
            for (String kind : new String[] {"reservations", "limits"}) {
                if (!(res.get(kind) instanceof YMap r)) {
                    continue;
                }
                String at = path + ".resources." + kind;
                KeyCheck.only(r, at, Set.of("cpus", "memory", "pids", "devices", "generic_resources"), problems);
                if (r.get("cpus") instanceof YScalar c) {
                    resources.cpus(c, at + ".cpus");
                }
                if (r.get("memory") instanceof YScalar m) {
                    resources.memory(m, at + ".memory");
                }
                for (String key : new String[] {"pids", "generic_resources"}) {
                    if (r.get(key) != null) {
                        problems.warn(r.keyPosition(key), at + "." + key, key + " has no effect here");
                    }
                }
                if (r.get("devices") instanceof YList devices) {
                    for (YNode device : devices.items()) {
                        boolean gpu = device instanceof YMap d && ProjectLoader.scalars(d.get("capabilities")).stream()
                                .anyMatch(cap -> cap.text().equalsIgnoreCase("gpu"));
                        if (gpu) {
                            problems.error(device.position(), at + ".devices", "GPU devices cannot be given to a microVM");
                        } else {
                            problems.warn(device.position(), at + ".devices", "device reservations have no effect here");
                        }
                    }
                }
            }
        }
        return replicas;
    }
}
