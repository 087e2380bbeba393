package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Observed state of a VM; controllers may add fields, so unknown ones are ignored. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record VmStatus(String phase, Long observedGeneration, List<Condition> conditions, Long pid, String hypervisor, String ip, String mac, String startedAt, Integer restartCount, Integer lastExitCode, List<PortForward> forwards, String message, List<VmNetworkStatus> networks) {
}
