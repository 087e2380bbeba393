package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One service of a Stack, run as one or more VMs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackService(String name, String image, String rootfs, List<String> command, List<String> args, List<EnvVar> env, List<PortMapping> ports, List<VolumeMount> volumes, List<String> dependsOn, Integer replicas, Integer cpus, Integer memoryMiB, Healthcheck healthcheck, String restartPolicy, List<String> networks) {
}
