package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** How the guest agent decides the workload is healthy. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record Healthcheck(ExecAction exec, HttpGetAction httpGet, TcpSocketAction tcpSocket, Integer periodSeconds, Integer timeoutSeconds, Integer failureThreshold, Integer initialDelaySeconds) {
}
