package dev.hypr.controller.volume;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Which VMs name a volume in {@code spec.volumes[].volumeRef}, and which of them run now. */
public final class VolumeUsers {
    /** VM phases in which a VMM process may have the disk open. */
    private static final Set<String> LIVE_PHASES = Set.of("Starting", "Running", "Stopping");

    private VolumeUsers() {
    }

    /** The volumes a VM names. */
    public static List<String> volumesOf(JsonNode vm) {
        List<String> out = new ArrayList<>();
        vm.path("spec").path("volumes").forEach(v -> {
            String ref = v.path("volumeRef").asText("");
            if (!ref.isEmpty() && !out.contains(ref)) {
                out.add(ref);
            }
        });
        return out;
    }

    /** VMs whose spec names {@code volume}, deleted ones included until they are gone. */
    public static List<String> referencing(String volume, Iterable<? extends JsonNode> vms) {
        List<String> out = new ArrayList<>();
        for (JsonNode vm : vms) {
            if (volumesOf(vm).contains(volume)) {
                out.add(vm.path("metadata").path("name").asText());
            }
        }
        return out;
    }

    /** Of those, the VMs that may have it open now (a VMM process runs for them). */
    public static List<String> running(String volume, Iterable<? extends JsonNode> vms) {
        List<String> out = new ArrayList<>();
        for (JsonNode vm : vms) {
            if (volumesOf(vm).contains(volume) && LIVE_PHASES.contains(vm.path("status").path("phase").asText())) {
                out.add(vm.path("metadata").path("name").asText());
            }
        }
        return out;
    }
}
