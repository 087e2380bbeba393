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

    /**
     * The claims VMs ask for, oldest VM first: every VM naming the volume that wants to run, or
     * still runs (a deleted or stopped VM keeps its claim until its VMM is gone). Read-only only
     * when every mount of the volume in that VM is.
     */
    public static List<VolumeClaims.Claim> claimRequests(String volume, List<? extends JsonNode> vms) {
        List<? extends JsonNode> oldestFirst = vms.stream()
                .sorted(java.util.Comparator.comparing((JsonNode vm) -> vm.path("metadata").path("creationTimestamp").asText())
                        .thenComparing(vm -> vm.path("metadata").path("name").asText()))
                .toList();
        List<VolumeClaims.Claim> out = new ArrayList<>();
        for (JsonNode vm : oldestFirst) {
            if (!volumesOf(vm).contains(volume)) {
                continue;
            }
            boolean live = LIVE_PHASES.contains(vm.path("status").path("phase").asText());
            boolean wantsToRun = !vm.path("spec").path("running").isBoolean() || vm.path("spec").path("running").asBoolean();
            boolean deleting = vm.path("metadata").hasNonNull("deletionTimestamp");
            if (live || wantsToRun && !deleting) {
                boolean readOnly = true;
                for (JsonNode v : vm.path("spec").path("volumes")) {
                    if (volume.equals(v.path("volumeRef").asText()) && !v.path("readOnly").asBoolean(false)) {
                        readOnly = false;
                    }
                }
                out.add(new VolumeClaims.Claim(vm.path("metadata").path("name").asText(), readOnly));
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
