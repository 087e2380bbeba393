package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How the guest agent decides the workload is healthy: one probe (exec, httpGet or tcpSocket)
 * and its schedule. {@code disable} turns off this one and the image's HEALTHCHECK;
 * {@code onUnhealthy: restart} makes it a liveness check.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Healthcheck(ExecAction exec, HttpGetAction httpGet, TcpSocketAction tcpSocket, Integer periodSeconds, Integer timeoutSeconds,
                          Integer failureThreshold, Integer initialDelaySeconds, Integer startPeriodSeconds, Integer startIntervalSeconds,
                          Boolean disable, String onUnhealthy, Integer successThreshold) {
    public Healthcheck(ExecAction exec, HttpGetAction httpGet, TcpSocketAction tcpSocket, Integer periodSeconds, Integer timeoutSeconds,
                       Integer failureThreshold, Integer initialDelaySeconds) {
        this(exec, httpGet, tcpSocket, periodSeconds, timeoutSeconds, failureThreshold, initialDelaySeconds, null, null, null, null, null);
    }

    public Healthcheck(ExecAction exec, HttpGetAction httpGet, TcpSocketAction tcpSocket, Integer periodSeconds, Integer timeoutSeconds,
                       Integer failureThreshold, Integer initialDelaySeconds, Integer startPeriodSeconds, Integer startIntervalSeconds,
                       Boolean disable, String onUnhealthy) {
        this(exec, httpGet, tcpSocket, periodSeconds, timeoutSeconds, failureThreshold, initialDelaySeconds, startPeriodSeconds,
                startIntervalSeconds, disable, onUnhealthy, null);
    }
}
