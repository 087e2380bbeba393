package dev.hypr.controller.agent;

/** Workload and agent events from one VM. Called on the connection's reader thread: do not block. */
public interface AgentListener {
    default void onConnected(AgentHello hello) {}

    default void onDisconnected() {}

    default void onWorkloadStarted(int pid) {}

    /** code: exit status, or 128+signal when killed (then signal is non-zero). */
    default void onWorkloadExited(int code, int signal) {}

    default void onWorkloadOutput(OutputStream stream, byte[] data) {}

    default void onAgentLog(String message) {}

    default void onShutdown(String reason) {}

    /** A health probe's result (PROTOCOL.md, HEALTH). */
    default void onHealth(HealthReport report) {}

    enum OutputStream { STDOUT, STDERR }

    AgentListener NONE = new AgentListener() {};
}
