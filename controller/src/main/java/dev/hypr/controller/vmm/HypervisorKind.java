package dev.hypr.controller.vmm;

public enum HypervisorKind { QEMU, CLOUD_HYPERVISOR }
