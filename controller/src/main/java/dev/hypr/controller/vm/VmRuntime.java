package dev.hypr.controller.vm;

import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.AgentHello;
import dev.hypr.controller.agent.AgentListener;
import dev.hypr.controller.vmm.VmHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * hyprd's live link to one VM: its handle, the open agent channel and what the agent last
 * said. Lost when hyprd exits; rebuilt on adoption from the runtime directory and the
 * agent's HELLO, which repeats the workload state.
 */
public final class VmRuntime implements AgentListener, AutoCloseable {
    private static final String ROOTFS_FAILURE_PREFIX = "rootfs: ";
    static final String SHARE_FAILURE_PREFIX = "share: ";
    private static final String VOLUME_FAILURE_PREFIX = "volume: ";
    private static final String FILE_FAILURE_PREFIX = "file: ";
    private static final String RESTART_LIMIT_PREFIX = "restarts: ";
    private final VmHandle handle;
    private final VmLogFile log;
    private final Runnable onChange;
    private AgentConnection agent;
    private final HealthState health = new HealthState();
    private volatile boolean healthConfigRead; // workload.cfg was read this boot: no need to read it per status build

    private volatile boolean workloadRunning;
    private volatile Integer lastExitCode;
    private volatile int guestRestarts;
    private volatile boolean shutdownAnnounced;
    private volatile String shutdownReason;
    private volatile Instant lastWorkloadExit;
    // boot timing: both 0 unless this hyprd launched the VMM (an adopted VM was timed by another)
    private volatile long bootStartedNanos;
    private volatile long workloadFirstStartedNanos;
    // the boot's timeline (status.boot): launch, first HELLO, first healthy report; guest clock milestones from HELLO
    private volatile long launchNanos;
    private volatile long agentConnectedNanos;
    private volatile long firstHealthyNanos;
    private volatile long guestInitMs;
    private volatile long guestReadyMs;

    VmRuntime(VmHandle handle, VmLogFile log, Runnable onChange) {
        this.handle = handle;
        this.log = log;
        this.onChange = onChange;
    }

    public VmHandle handle() {
        return handle;
    }

    VmLogFile log() {
        return log;
    }

    public synchronized AgentConnection agent() {
        return agent;
    }

    synchronized void connect(java.util.function.BiFunction<java.nio.file.Path, AgentListener, AgentConnection> opener) {
        if (agent == null) {
            agent = opener.apply(handle.agentSocket(), this);
        }
    }

    public boolean workloadRunning() {
        return workloadRunning;
    }

    Integer lastExitCode() {
        return lastExitCode;
    }

    int guestRestarts() {
        return guestRestarts;
    }

    boolean shutdownAnnounced() {
        return shutdownAnnounced;
    }

    /**
     * Kestrel's detail when it ended the VM because the rootfs could not be mounted (PROTOCOL.md,
     * boot step 5), or a host directory share could not: then the detail keeps its "share: " prefix.
     */
    Optional<String> rootfsMountFailure() {
        String reason = shutdownReason;
        if (reason != null && reason.startsWith(SHARE_FAILURE_PREFIX)) {
            return Optional.of(reason);
        }
        return reason != null && reason.startsWith(ROOTFS_FAILURE_PREFIX)
                ? Optional.of(reason.substring(ROOTFS_FAILURE_PREFIX.length()))
                : Optional.empty();
    }

    /** Kestrel's detail when it ended the VM because a volume could not be mounted (PROTOCOL.md, 6). */
    Optional<String> volumeMountFailure() {
        String reason = shutdownReason;
        return reason != null && reason.startsWith(VOLUME_FAILURE_PREFIX)
                ? Optional.of(reason.substring(VOLUME_FAILURE_PREFIX.length()))
                : Optional.empty();
    }

    /** Kestrel's detail when it ended the VM because a spec.secrets or spec.files file could not be written. */
    Optional<String> fileWriteFailure() {
        String reason = shutdownReason;
        return reason != null && reason.startsWith(FILE_FAILURE_PREFIX)
                ? Optional.of(reason.substring(FILE_FAILURE_PREFIX.length()))
                : Optional.empty();
    }

    /** Kestrel's detail when it ended the VM because the workload failed once more after maxRestarts restarts. */
    Optional<String> restartLimitReached() {
        String reason = shutdownReason;
        return reason != null && reason.startsWith(RESTART_LIMIT_PREFIX)
                ? Optional.of(reason.substring(RESTART_LIMIT_PREFIX.length()))
                : Optional.empty();
    }

    /** The health check's state; whether one is declared is read from the CONFIG file until Kestrel connects. */
    HealthState.Snapshot health() {
        HealthState.Snapshot snap = health.snapshot();
        if (!snap.declared() && !healthConfigRead) {
            java.nio.file.Path file = handle.workloadConfigFile();
            healthConfigRead = java.nio.file.Files.exists(file);
            if (HealthState.declaredIn(file)) {
                health.declared(true);
                snap = health.snapshot();
            }
        }
        return snap;
    }

    Instant lastWorkloadExit() {
        return lastWorkloadExit;
    }

    /** A new boot: forget what the previous one said. */
    void resetForBoot() {
        healthConfigRead = false; // the new boot's config may declare another health check, or none
        health.declared(false);
        health.workloadStarted();
        workloadRunning = false;
        shutdownAnnounced = false;
        shutdownReason = null;
        guestRestarts = 0;
        bootStartedNanos = System.nanoTime();
        workloadFirstStartedNanos = 0;
        launchNanos = bootStartedNanos;
        agentConnectedNanos = 0;
        firstHealthyNanos = 0;
        guestInitMs = 0;
        guestReadyMs = 0;
    }

    /** This boot's timeline, once the workload started; empty for VMs this hyprd did not launch (adopted). */
    Optional<BootTimeline> bootTimeline() {
        long launch = launchNanos;
        if (launch == 0 || workloadFirstStartedNanos == 0) {
            return Optional.empty();
        }
        return Optional.of(new BootTimeline(guestInitMs, guestReadyMs, sinceLaunchMs(agentConnectedNanos, launch),
                sinceLaunchMs(workloadFirstStartedNanos, launch), sinceLaunchMs(firstHealthyNanos, launch)));
    }

    private static long sinceLaunchMs(long nanos, long launch) {
        return nanos == 0 ? 0 : Math.max(1, Duration.ofNanos(nanos - launch).toMillis());
    }

    /** VMM launch to Kestrel's first STARTED, once per boot (empty after it was taken, or for adopted VMs). */
    synchronized Optional<Duration> takeBootDuration() {
        if (bootStartedNanos == 0 || workloadFirstStartedNanos == 0) {
            return Optional.empty();
        }
        Duration d = Duration.ofNanos(workloadFirstStartedNanos - bootStartedNanos);
        bootStartedNanos = 0;
        return Optional.of(d);
    }

    @Override
    public void onConnected(AgentHello hello) {
        if (agentConnectedNanos == 0) {
            agentConnectedNanos = System.nanoTime();
            guestInitMs = hello.bootInitMs();
            guestReadyMs = hello.bootReadyMs();
        }
        workloadRunning = hello.workload() == AgentHello.WorkloadState.RUNNING;
        if (workloadRunning && workloadFirstStartedNanos == 0) {
            workloadFirstStartedNanos = System.nanoTime(); // STARTED went out before we connected
        }
        guestRestarts = hello.restarts();
        health.declared(HealthState.declaredIn(handle.workloadConfigFile()));
        health.hello(hello.health());
        if (hello.workload() == AgentHello.WorkloadState.EXITED) {
            lastExitCode = hello.lastExitCode();
        }
        onChange.run();
    }

    @Override
    public void onWorkloadStarted(int pid) {
        boolean restart = lastWorkloadExit != null && !workloadRunning;
        if (workloadFirstStartedNanos == 0) {
            workloadFirstStartedNanos = System.nanoTime();
        }
        workloadRunning = true;
        health.workloadStarted();
        if (restart) {
            guestRestarts++;
        }
        onChange.run();
    }

    @Override
    public void onWorkloadExited(int code, int signal) {
        workloadRunning = false;
        lastExitCode = code;
        lastWorkloadExit = Instant.now();
        onChange.run();
    }

    @Override
    public void onWorkloadOutput(OutputStream stream, byte[] data) {
        log.append(data);
    }

    @Override
    public void onHealth(dev.hypr.controller.agent.HealthReport report) {
        health.report(report, Instant.now());
        if (report.status() == dev.hypr.controller.agent.HealthReport.Status.HEALTHY && firstHealthyNanos == 0) {
            firstHealthyNanos = System.nanoTime();
        }
        onChange.run();
    }

    @Override
    public void onShutdown(String reason) {
        shutdownReason = reason;
        shutdownAnnounced = true;
        onChange.run();
    }

    @Override
    public void onDisconnected() {
        onChange.run();
    }

    /**
     * The VMM is gone: stop reconnecting to its socket and fail open exec sessions (their
     * clients get an error instead of waiting forever). What the agent said is kept for status.
     */
    synchronized void disconnect() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
        workloadRunning = false;
    }

    @Override
    public synchronized void close() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
        log.close();
    }
}
