package dev.hypr.cli.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A stack's VMs ({@code <stack>-<service>-<n>}, labelled {@code hypr.dev/stack}), in service and replica order. */
public final class StackVms {
    private static final Pattern INDEX = Pattern.compile(".*-(\\d+)$");

    /** One VM of the stack. */
    public record StackVm(String name, String service, int index, JsonNode object) {
    }

    private StackVms() {
    }

    public static List<StackVm> list(HyprGrpc.HyprBlockingStub api, String stack) {
        List<JsonNode> objects = new ArrayList<>();
        for (String json : api.list(ListRequest.newBuilder().setKind("VM")
                .setLabelSelector(StackLabels.stackSelector(stack)).build()).getItemsList()) {
            objects.add(Json.parseObject(json));
        }
        return of(stack, objects);
    }

    /** The VMs among {@code objects}, sorted by service, then replica index. */
    public static List<StackVm> of(String stack, List<JsonNode> objects) {
        List<StackVm> vms = new ArrayList<>();
        for (JsonNode o : objects) {
            String name = o.path("metadata").path("name").asText();
            String service = o.path("metadata").path("labels").path(StackLabels.SERVICE).asText("");
            if (service.isEmpty()) {
                service = serviceFromName(stack, name);
            }
            vms.add(new StackVm(name, service, index(name), o));
        }
        vms.sort(Comparator.comparing(StackVm::service).thenComparingInt(StackVm::index).thenComparing(StackVm::name));
        return vms;
    }

    /** {@code shop-web-2} → 2; 0 when the name has no index. */
    static int index(String vm) {
        Matcher m = INDEX.matcher(vm);
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    static String serviceFromName(String stack, String vm) {
        String rest = vm.startsWith(stack + "-") ? vm.substring(stack.length() + 1) : vm;
        return rest.replaceFirst("-\\d+$", "");
    }

    /** The VMs of the given services (object-safe names); all when none are given. */
    public static List<StackVm> ofServices(List<StackVm> vms, List<String> services) {
        if (services == null || services.isEmpty()) {
            return vms;
        }
        return vms.stream().filter(v -> services.contains(v.service())).toList();
    }
}
