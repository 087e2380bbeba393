package dev.hypr.controller.net.forward;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.model.VmSpec;
import java.util.List;
import java.util.Optional;

/** Decides how a VM's ports are published; implemented by the network layer. */
public interface ForwardBindings {
    /** Empty while the VM has nothing to forward to (no network, not running, no address yet). */
    Optional<ForwardBinding> forVm(String vm, VmSpec spec, JsonNode status);

    /** Forwarders that may still hold forwards of VMs that no longer run or exist. */
    List<Forwarder> shared();
}
