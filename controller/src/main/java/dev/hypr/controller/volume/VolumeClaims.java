package dev.hypr.controller.volume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure: which VMs may attach a volume, as IPAM is for addresses. One VM at a time may have it
 * read-write, any number read-only. A VM keeps its claim as long as it asks for it in the same
 * mode; a new writer gets the volume only when nobody holds it read-write, else it is refused
 * with the holder's name. Requests come oldest VM first, so the first writer wins, and stays
 * the writer across restarts of it and of hyprd (the result is persisted in the Volume's status
 * before any VM boots with it).
 */
public final class VolumeClaims {
    private VolumeClaims() {
    }

    /** A VM's hold on the volume. */
    public record Claim(String vm, boolean readOnly) {
    }

    /** claims granted (in a stable order) and, for each refused VM, the VM that holds the volume read-write. */
    public record Outcome(List<Claim> claims, Map<String, String> refused) {
    }

    /** @param requests every VM that needs the volume now, oldest first, each once */
    public static Outcome assign(List<Claim> current, List<Claim> requests) {
        Map<String, Claim> granted = new LinkedHashMap<>();
        String writer = null;
        for (Claim c : current) {
            if (requests.contains(c) && !granted.containsKey(c.vm()) && (c.readOnly() || writer == null)) {
                granted.put(c.vm(), c);
                if (!c.readOnly()) {
                    writer = c.vm();
                }
            }
        }
        Map<String, String> refused = new LinkedHashMap<>();
        for (Claim r : requests) {
            if (granted.containsKey(r.vm())) {
                continue;
            }
            if (r.readOnly()) {
                granted.put(r.vm(), r);
            } else if (writer == null) {
                granted.put(r.vm(), r);
                writer = r.vm();
            } else {
                refused.put(r.vm(), writer);
            }
        }
        return new Outcome(new ArrayList<>(granted.values()), refused);
    }
}
