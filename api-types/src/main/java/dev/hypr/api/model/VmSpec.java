package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Desired state of a VM (crds/vm.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmSpec(String image, String rootfs, KernelSpec kernel, List<String> command, List<String> args, List<EnvVar> env, String workingDir, String user, Integer cpus, Integer memoryMiB, List<PortMapping> ports, String network, List<VolumeMount> volumes, String restartPolicy, Boolean running, Healthcheck healthcheck, String hypervisor, Integer stopTimeoutSeconds, List<SecretFileMount> secrets, String hostname, String nodeName, java.util.Map<String, String> nodeSelector) {
    /** Without nodeName and nodeSelector: the shape before scheduling existed (placement is the scheduler's). */
    public VmSpec(String image, String rootfs, KernelSpec kernel, List<String> command, List<String> args, List<EnvVar> env,
                  String workingDir, String user, Integer cpus, Integer memoryMiB, List<PortMapping> ports, String network,
                  List<VolumeMount> volumes, String restartPolicy, Boolean running, Healthcheck healthcheck, String hypervisor,
                  Integer stopTimeoutSeconds, List<SecretFileMount> secrets, String hostname) {
        this(image, rootfs, kernel, command, args, env, workingDir, user, cpus, memoryMiB, ports, network, volumes, restartPolicy,
                running, healthcheck, hypervisor, stopTimeoutSeconds, secrets, hostname, null, null);
    }

    /** Without hostname: the shape before spec.hostname existed (the VM name is the host name). */
    public VmSpec(String image, String rootfs, KernelSpec kernel, List<String> command, List<String> args, List<EnvVar> env,
                  String workingDir, String user, Integer cpus, Integer memoryMiB, List<PortMapping> ports, String network,
                  List<VolumeMount> volumes, String restartPolicy, Boolean running, Healthcheck healthcheck, String hypervisor,
                  Integer stopTimeoutSeconds, List<SecretFileMount> secrets) {
        this(image, rootfs, kernel, command, args, env, workingDir, user, cpus, memoryMiB, ports, network, volumes, restartPolicy,
                running, healthcheck, hypervisor, stopTimeoutSeconds, secrets, null);
    }

    /** Without secrets: the shape before spec.secrets existed, kept so positional callers need no change. */
    public VmSpec(String image, String rootfs, KernelSpec kernel, List<String> command, List<String> args, List<EnvVar> env,
                  String workingDir, String user, Integer cpus, Integer memoryMiB, List<PortMapping> ports, String network,
                  List<VolumeMount> volumes, String restartPolicy, Boolean running, Healthcheck healthcheck, String hypervisor,
                  Integer stopTimeoutSeconds) {
        this(image, rootfs, kernel, command, args, env, workingDir, user, cpus, memoryMiB, ports, network, volumes, restartPolicy,
                running, healthcheck, hypervisor, stopTimeoutSeconds, null, null);
    }
}
