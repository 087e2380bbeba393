package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** One service of a Stack, run as one or more VMs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackService(String name, String image, String rootfs, List<String> command, List<String> args, List<EnvVar> env, List<PortMapping> ports, List<VolumeMount> volumes, List<String> dependsOn, Integer replicas, Integer cpus, Integer memoryMiB, Healthcheck healthcheck, String restartPolicy, List<String> networks,
                           StackBuild build, String workingDir, String user, String hostname, List<String> aliases, Map<String, String> labels, List<StackDependency> dependencies, Integer maxRestarts, String stopSignal, Integer stopTimeoutSeconds, List<StackFile> secrets, List<StackFile> configs) {
}
