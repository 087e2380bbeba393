package dev.hypr.controller.vmm;

public enum HypervisorKind {
    QEMU("qemu"), CLOUD_HYPERVISOR("cloud-hypervisor");

    private final String specName;

    HypervisorKind(String specName) {
        this.specName = specName;
    }

    /** The name spec.hypervisor and status.hypervisor use. */
    public String specName() {
        return specName;
    }
}
