package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One NIC of a VM ({@code spec.networks[]}): the Network it joins and extra DNS names there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmNetwork(String name, List<String> aliases) {
    /** The Network a VM with neither {@code network} nor {@code networks} joins. */
    public static final String DEFAULT = "default";

    public VmNetwork(String name) {
        this(name, null);
    }

    /**
     * The bridged Networks a VM joins, in NIC order (eth0 first): {@code spec.networks}, else the
     * one {@code spec.network} names (default when unset); none for "user" and "none".
     */
    public static List<VmNetwork> of(VmSpec spec) {
        if (spec.networks() != null && !spec.networks().isEmpty()) {
            return spec.networks();
        }
        String n = spec.network();
        if ("user".equals(n) || "none".equals(n)) {
            return List.of();
        }
        return List.of(new VmNetwork(n == null || n.isBlank() ? DEFAULT : n));
    }
}
