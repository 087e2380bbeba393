package dev.hypr.api.compose;

import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the services that are enabled: those without {@code profiles}, and those with a profile
 * that is active ({@code *} activates all).
 */
final class ProfileFilter {
    private ProfileFilter() {
    }

    static YMap apply(YMap model, Set<String> active, Problems problems) {
        if (!(model.get("services") instanceof YMap services)) {
            return model;
        }
        Map<String, YNode> kept = new LinkedHashMap<>();
        services.entries().forEach((name, service) -> {
            if (enabled(service, active, name, problems)) {
                kept.put(name, service);
            }
        });
        Map<String, YNode> entries = new LinkedHashMap<>(model.entries());
        entries.put("services", new YMap(kept, services.keyPositions(), services.position(), null));
        return new YMap(entries, model.keyPositions(), model.position(), null);
    }

    private static boolean enabled(YNode service, Set<String> active, String name, Problems problems) {
        if (!(service instanceof YMap m) || m.get("profiles") == null) {
            return true;
        }
        YNode profiles = m.get("profiles");
        if (!(profiles instanceof YNode.YList)) {
            problems.error(profiles.position(), "services." + name + ".profiles", "profiles takes a list of names");
            return true;
        }
        if (active.contains("*")) {
            return true;
        }
        return ProjectLoader.scalars(profiles).stream().map(YScalar::text).anyMatch(active::contains);
    }
}
