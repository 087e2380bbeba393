package dev.hypr.controller.net.forward;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure diff between the forwards one VM should have and those its forwarder reports.
 * Forwards are compared by listening address and target: a forward that points elsewhere
 * (the VM got a new address) is removed and exposed again.
 */
public record ForwardPlan(List<Forward> toExpose, List<Forward> toUnexpose) {
    public ForwardPlan {
        toExpose = List.copyOf(toExpose);
        toUnexpose = List.copyOf(toUnexpose);
    }

    public static ForwardPlan of(List<Forward> desired, List<Forward> observed) {
        Map<String, Forward> want = byKey(desired);
        Map<String, Forward> have = byKey(observed);
        List<Forward> expose = new ArrayList<>();
        List<Forward> unexpose = new ArrayList<>();
        have.forEach((k, f) -> {
            Forward w = want.get(k);
            if (w == null || !sameTarget(w, f)) {
                unexpose.add(f);
            }
        });
        want.forEach((k, f) -> {
            Forward h = have.get(k);
            if (h == null || !sameTarget(h, f)) {
                expose.add(f);
            }
        });
        return new ForwardPlan(expose, unexpose);
    }

    public boolean isEmpty() {
        return toExpose.isEmpty() && toUnexpose.isEmpty();
    }

    private static boolean sameTarget(Forward a, Forward b) {
        return a.targetIP().equals(b.targetIP()) && a.targetPort() == b.targetPort();
    }

    private static Map<String, Forward> byKey(List<Forward> forwards) {
        Map<String, Forward> out = new LinkedHashMap<>();
        forwards.forEach(f -> out.putIfAbsent(f.listenKey(), f));
        return out;
    }
}
