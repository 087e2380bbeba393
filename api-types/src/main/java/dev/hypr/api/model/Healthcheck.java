package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How the guest agent decides the workload is healthy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Healthcheck(ExecAction exec, HttpGetAction httpGet, TcpSocketAction tcpSocket, Integer periodSeconds, Integer timeoutSeconds, Integer failureThreshold, Integer initialDelaySeconds) {
}
