package dev.hypr.controller.vmm;

import java.util.Map;

/** spec.hypervisor: auto picks cloud-hypervisor when it can run here, else QEMU (which always can, via TCG). */
public final class HypervisorSelector {
    public enum Choice { AUTO, QEMU, CLOUD_HYPERVISOR }

    private final Map<HypervisorKind, VmmDriver> drivers;

    public HypervisorSelector(Map<HypervisorKind, VmmDriver> drivers) {
        this.drivers = Map.copyOf(drivers);
    }

    public VmmDriver select(Choice choice) {
        return select(choice, false);
    }

    /** needsVirtiofs: auto passes over a hypervisor that cannot share host directories. */
    public VmmDriver select(Choice choice, boolean needsVirtiofs) {
        return switch (choice) {
            case QEMU -> usable(HypervisorKind.QEMU);
            case CLOUD_HYPERVISOR -> usable(HypervisorKind.CLOUD_HYPERVISOR);
            case AUTO -> {
                VmmDriver chv = drivers.get(HypervisorKind.CLOUD_HYPERVISOR);
                yield chv != null && chv.isUsable() && (!needsVirtiofs || chv.capabilities().virtiofs())
                        ? chv : usable(HypervisorKind.QEMU);
            }
        };
    }

    public VmmDriver forKind(HypervisorKind kind) {
        VmmDriver d = drivers.get(kind);
        if (d == null) throw new VmmException("no driver for " + kind);
        return d;
    }

    private VmmDriver usable(HypervisorKind kind) {
        VmmDriver d = forKind(kind);
        if (!d.isUsable()) throw new VmmException(kind + " is not usable on this host");
        return d;
    }
}
