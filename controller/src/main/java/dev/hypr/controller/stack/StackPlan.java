package dev.hypr.controller.stack;

import dev.hypr.api.model.StackServiceStatus;
import dev.hypr.api.model.VmSpec;
import java.util.List;

/**
 * What one pass of the Stack controller does to its VMs, and how each service stands.
 *
 * @param writes VMs to create or to give a new spec (the VM controller restarts a VM whose spec changed)
 * @param deletes VMs to delete: replicas above the count, services no longer in the stack
 * @param services one status per service, in spec order
 */
public record StackPlan(List<VmWrite> writes, List<String> deletes, List<StackServiceStatus> services) {

    /** A VM to apply: its service, name, spec and the spec hash it is annotated with. */
    public record VmWrite(String service, String vm, VmSpec spec, String hash, boolean create) {
    }

    public boolean changesSomething() {
        return !writes.isEmpty() || !deletes.isEmpty();
    }
}
