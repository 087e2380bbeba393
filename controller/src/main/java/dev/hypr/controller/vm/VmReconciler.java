package dev.hypr.controller.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.net.NetworkChoice;
import dev.hypr.controller.net.bridge.BridgeBackend;
import dev.hypr.controller.net.bridge.NetworkUnavailableException;
import dev.hypr.controller.image.ImageService;
import dev.hypr.controller.image.PullPolicy;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.runtime.ControllerManager;
import dev.hypr.controller.runtime.Finalizers;
import dev.hypr.controller.runtime.Reconciler;
import dev.hypr.controller.runtime.Result;
import dev.hypr.controller.runtime.StatusFields;
import dev.hypr.controller.runtime.StatusWriter;
import dev.hypr.controller.runtime.TerminalException;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.vmm.HypervisorSelector;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmLaunchSpec;
import dev.hypr.controller.vmm.VmProcessInfo;
import dev.hypr.controller.vmm.VmmException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Keeps each VM object's microVM as the object says: booted, stopped, rebooted for a new
 * spec, restarted after a crash (with back-off), adopted after a hyprd restart, and removed
 * with every file it owned on delete. Status says what was actually seen.
 */
@ApplicationScoped
public class VmReconciler implements Reconciler {
    static final String FINALIZER = "hypr.dev/vm";
    /** This controller's name (the Forward controller also reconciles VMs). */
    public static final String NAME = "vm";
    private static final Logger LOG = Logger.getLogger(VmReconciler.class);

    @Inject
    ObjectStore store;

    @Inject
    HypervisorSelector hypervisors;

    @Inject
    VmLauncher launcher;

    @Inject
    VmRuntimes runtimes;

    @Inject
    GuestAssets assets;

    /** Lazy: the manager starts this reconciler, so it cannot be a construction-time dependency. */
    @Inject
    Instance<ControllerManager> manager;

    @Inject
    VmEvents events;

    @Inject
    VmMetrics metrics;

    @Inject
    BridgeBackend bridges;

    @Inject
    ImageService images;

    @Inject
    HyprPaths paths;

    @Inject
    dev.hypr.controller.volume.VolumeAttachments volumes;

    @Inject
    dev.hypr.controller.node.LocalNode node;

    private final Clock clock = Clock.systemUTC();
    private final long hostMemoryMiB = VmLaunchSpecs.hostMemoryMiB();

    @Override
    public Kind kind() {
        return Kind.VM;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int workers() {
        return 4;
    }

    /** A Volume becoming Ready or recording a claim wakes the VMs waiting for it. */
    @Override
    public java.util.List<dev.hypr.controller.runtime.SecondaryWatch> secondaryWatches() {
        return java.util.List.of(volumes.watch());
    }

    @Override
    public Duration resyncPeriod() {
        return Duration.ofSeconds(10);
    }

    /** Runtime directories whose object is gone (hyprd died mid-delete, or the store was edited). */
    void sweepOrphans(@Observes @Priority(3000) StartupEvent ev) {
        // fencing and its end: every VM with files here is looked at now, not at the next resync
        node.onFencing(fenced -> {
            store.list(Kind.VM, null).items().forEach(vm -> wake(Objects.key(vm).name()));
            localDirs().forEach(this::wake);
        });
        try (Stream<Path> dirs = Files.list(paths.vmsRuntime())) {
            dirs.map(d -> d.getFileName().toString())
                    .filter(n -> store.get(Kind.VM, n).isEmpty())
                    .forEach(this::wake);
        } catch (IOException e) {
            // no runtime directory yet: nothing to sweep
        }
    }

    private java.util.List<String> localDirs() {
        try (Stream<Path> dirs = Files.list(paths.vmsRuntime())) {
            return dirs.map(d -> d.getFileName().toString()).toList();
        } catch (IOException e) {
            return java.util.List.of();
        }
    }

    /** Agent events and VMM exits wake this controller only; the Forward controller follows status. */
    private void wake(String name) {
        manager.get().enqueue(NAME, name);
    }

    @Override
    public Result reconcile(String name) throws Exception {
        VmRuntimeDir dir = new VmRuntimeDir(paths.vmRuntimeDir(name));
        Optional<ObjectNode> found = store.get(Kind.VM, name);
        if (found.isEmpty()) {
            liveProcess(dir).ifPresent(p -> {
                LOG.warnf("vm/%s: stopping orphan VMM pid %d (no object)", name, p.pid());
                events.orphanStopped(name, p.pid());
            });
            destroy(name, dir);
            return Result.done();
        }
        ObjectNode vm = found.get();
        if (node.awaitingLease()) {
            return Result.requeueAfter(Duration.ofSeconds(1)); // a VM still running here is adopted once the node holds its lease
        }
        String uid = Objects.uid(vm);
        if (dir.exists() && dir.uid().map(u -> !u.equals(uid)).orElse(false)) {
            destroy(name, dir); // left by an earlier object of the same name
        }
        if (!node.runsHere(vm)) {
            return notHere(name, vm, dir);
        }
        boolean deleting = Objects.isBeingDeleted(vm);
        if (Finalizers.ensure(store, Kind.VM, vm, FINALIZER)) {
            return Result.done(); // the finalizer write wakes us again
        }
        VmSpec spec = Json.MAPPER.treeToValue(vm.get("spec"), VmSpec.class);
        VmStatusBuilder status = VmStatusBuilder.from(vm, clock.instant());
        status.address(bridges.allocation(name, spec));
        VmRuntime rt = attach(name, dir);
        VmObserved seen = observe(dir, rt);
        String hash = VmLaunchSpecs.specHash(vm.get("spec"));
        Optional<Integer> lastExit = Optional.ofNullable(rt != null ? rt.lastExitCode() : null).or(dir::endingExitCode);
        boolean wantRunning = !Boolean.FALSE.equals(spec.running());
        String policy = spec.restartPolicy() == null ? "Always" : spec.restartPolicy();
        VmAction action = VmPlanner.plan(wantRunning, deleting, hash, policy, lastExit, seen);
        Result result = Result.done();
        try {
            switch (action) {
                case NONE -> { }
                case START -> {
                    boot(name, uid, spec, hash, dir, status);
                    dir.setConsecutiveCrashes(0);
                    seen = observe(dir, runtimes.get(name));
                }
                case RESTART_AFTER_CRASH -> {
                    Optional<Duration> wait = crashWait(dir);
                    if (wait.isPresent()) {
                        status.crashLoop(lastExit, wait.get(), dir.panic());
                        events.backOff(name, wait.get());
                        writeStatus(name, status.build(seen, dir, runtimes.get(name), spec));
                        return Result.requeueAfter(wait.get());
                    }
                    status.restarted(dir.panic().map(p -> p.message(spec.memoryMiB())).orElse("the VMM exited unexpectedly"));
                    metrics.restarted();
                    events.restarted(name);
                    boot(name, uid, spec, hash, dir, status);
                    seen = observe(dir, runtimes.get(name));
                }
                case RESTART_FOR_SPEC_CHANGE -> {
                    events.specChanged(name, Objects.generation(vm));
                    stop(name, dir, rt, spec);
                    status.message("restarted to apply generation " + Objects.generation(vm));
                    boot(name, uid, spec, hash, dir, status);
                    seen = observe(dir, runtimes.get(name));
                }
                case STOP -> {
                    stop(name, dir, rt, spec);
                    events.stopped(name, deleting ? "stopped for deletion" : "stopped because spec.running is false");
                    seen = observe(dir, runtimes.get(name));
                    if (deleting) {
                        result = Result.requeueAfter(Duration.ofMillis(100));
                    }
                }
                case CLEAN_UP -> {
                    destroy(name, dir);
                    Finalizers.remove(store, Kind.VM, name, FINALIZER);
                    return Result.done();
                }
            }
        } catch (ImagePullFailedException e) {
            // Not terminal: say why in status, then throw so the runtime retries with back-off.
            status.imagePullFailed(e.getMessage());
            events.failed(name, "ImagePullBackOff", e.getMessage());
            writeStatus(name, status.build(observe(dir, runtimes.get(name)), dir, runtimes.get(name), spec));
            LOG.warnf("vm/%s: %s", name, e.getMessage());
            throw e;
        } catch (dev.hypr.controller.volume.VolumeWaitException e) {
            // not booted: waits for the Volume, whose changes wake this VM (secondary watch)
            if (!e.reason().equals(readyCondition(vm.get("status")).path("reason").asText())) {
                events.failed(name, e.reason(), e.getMessage());
            }
            status.waiting(e.reason(), e.getMessage());
            writeStatus(name, status.build(observe(dir, runtimes.get(name)), dir, runtimes.get(name), spec));
            return Result.done();
        } catch (TerminalException | VmmException | NetworkUnavailableException e) {
            // a spec or host problem: say so and wait for a change (resync re-checks gently)
            status.failed(failureReason(e), e.getMessage());
            events.failed(name, failureReason(e), e.getMessage());
            writeStatus(name, status.build(observe(dir, runtimes.get(name)), dir, runtimes.get(name), spec));
            LOG.warnf("vm/%s: %s", name, e.getMessage());
            return Result.done();
        }
        VmRuntime now = runtimes.get(name);
        String readyBefore = readyCondition(vm.get("status")).path("reason").asText();
        String healthyBefore = healthyStatus(vm.get("status"));
        ObjectNode written = status.build(seen, dir, now, spec);
        writeStatus(name, written);
        noteTransitions(name, readyBefore, written, now);
        noteHealthTransition(name, healthyBefore, written);
        if (seen.processAlive() && (now == null || !now.workloadRunning())) {
            return Result.requeueAfter(Duration.ofSeconds(1)); // booting: look again soon
        }
        return result;
    }

    /**
     * A VM this node does not run now. Fenced (its lease may be gone) but still bound here: kill
     * the VMM, keep its files; it boots again once the node holds a lease. Bound elsewhere or
     * unbound: remove whatever this node still has of it (a returning node's leftovers, or an
     * evicted VM), touching the object only to say an evicted VM stopped here (status.pid cleared,
     * which the scheduler waits for before it binds the VM elsewhere).
     */
    private Result notHere(String name, ObjectNode vm, VmRuntimeDir dir) throws IOException {
        String boundTo = vm.path("spec").path("nodeName").asText("");
        if (node.fenced() && boundTo.equals(node.name())) {
            Optional<VmHandle> handle = dir.handle();
            if (handle.isPresent() && liveProcess(dir).isPresent()) {
                dir.recordEnding(VmObserved.Ending.STOPPED, null, clock.instant());
                hypervisors.forKind(handle.get().hypervisor()).kill(handle.get());
                LOG.warnf("vm/%s: killed: node %s is fenced (its etcd lease may have expired)", name, node.name());
            }
            runtimes.remove(name);
            return Result.done(); // the end of fencing wakes every VM
        }
        if (dir.exists()) {
            liveProcess(dir).ifPresent(p -> LOG.warnf("vm/%s: bound to %s, not node %s: stopping its VMM pid %d here", name,
                    boundTo.isEmpty() ? "no node" : "node " + boundTo, node.name(), p.pid()));
            destroy(name, dir);
        }
        JsonNode status = vm.path("status");
        if (!node.fenced() && boundTo.isEmpty() && status.hasNonNull("pid") && node.name().equals(status.path("nodeName").asText())) {
            String message = "stopped on node " + node.name() + ": unbound (evicted); waiting for the scheduler";
            new StatusWriter(store).update(Kind.VM, name, s -> {
                s.remove("pid");
                s.put("phase", "Pending");
                s.put("message", message);
                Conditions.set(s, "Ready", false, "NotScheduled", message, Objects.generation(vm), clock.instant());
            });
            events.stopped(name, message);
        }
        return Result.done();
    }

    private Optional<VmProcessInfo> liveProcess(VmRuntimeDir dir) {
        return dir.handle().flatMap(h -> hypervisors.forKind(h.hypervisor()).observe(h));
    }

    private static JsonNode readyCondition(JsonNode status) {
        if (status != null) {
            for (JsonNode c : status.path("conditions")) {
                if ("Ready".equals(c.path("type").asText())) {
                    return c;
                }
            }
        }
        return MissingNode.getInstance();
    }

    /** Events and metrics for what changed in this reconcile's status: boot completed, crash loop entered. */
    private void noteTransitions(String name, String readyBefore, ObjectNode written, VmRuntime rt) {
        if (rt != null && rt.workloadRunning()) {
            rt.takeBootDuration().ifPresent(d -> {
                metrics.bootCompleted(d);
                events.ready(name, d, rt.bootTimeline());
            });
        }
        JsonNode ready = readyCondition(written);
        String readyNow = ready.path("reason").asText();
        // the host-side crash loop has its own BackOff event; this is Kestrel restarting the workload
        if ("CrashLoopBackOff".equals(readyNow) && !readyNow.equals(readyBefore) && "Running".equals(written.path("phase").asText())) {
            events.workloadCrashLooping(name, written.path("lastExitCode").asInt());
        }
    }

    private static String healthyStatus(JsonNode status) {
        return status == null ? "" : Conditions.get(status, "Healthy").map(c -> c.path("status").asText()).orElse("");
    }

    /** An event when Healthy turns True (Normal) or False (Warning); Unknown (starting, not running) is not news. */
    private void noteHealthTransition(String name, String before, ObjectNode written) {
        String now = healthyStatus(written);
        if (now.equals(before)) {
            return;
        }
        Conditions.get(written, "Healthy").ifPresent(c -> {
            if ("True".equals(now)) {
                events.healthy(name, c.path("message").asText());
            } else if ("False".equals(now)) {
                events.unhealthy(name, c.path("message").asText());
            }
        });
    }

    private VmObserved observe(VmRuntimeDir dir, VmRuntime rt) {
        if (!dir.exists()) {
            return VmObserved.nothing();
        }
        Optional<VmHandle> handle = dir.handle();
        Optional<VmProcessInfo> proc = handle.flatMap(h -> hypervisors.forKind(h.hypervisor()).observe(h));
        Optional<VmObserved.Ending> ended = Optional.empty();
        if (proc.isEmpty() && handle.isPresent()) {
            if (rt != null) {
                rt.disconnect();
            }
            ended = dir.ending();
            if (ended.isEmpty()) {
                // First look since it died: Kestrel announced a shutdown when the workload ended
                // and the policy said so; anything else is a crash.
                boolean completed = rt != null && rt.shutdownAnnounced();
                Optional<String> rootfsFailure = rt != null ? rt.rootfsMountFailure() : Optional.empty();
                Optional<String> volumeFailure = rt != null ? rt.volumeMountFailure() : Optional.empty();
                VmObserved.Ending e = rootfsFailure.isPresent() ? VmObserved.Ending.ROOTFS_MOUNT_FAILED
                        : volumeFailure.isPresent() ? VmObserved.Ending.VOLUME_MOUNT_FAILED
                        : completed ? VmObserved.Ending.COMPLETED : VmObserved.Ending.CRASHED;
                Integer exit = rt != null ? rt.lastExitCode() : null;
                rootfsFailure.or(() -> volumeFailure).ifPresent(dir::recordFailure);
                if (e == VmObserved.Ending.CRASHED) {
                    // read now: the next boot overwrites the console
                    handle.map(VmHandle::consoleLog).flatMap(GuestPanic::scan).ifPresent(dir::recordPanic);
                }
                dir.recordEnding(e, exit, clock.instant());
                ended = Optional.of(e);
                switch (e) {
                    case COMPLETED -> events.completed(dir.name(), exit);
                    case ROOTFS_MOUNT_FAILED -> events.failed(dir.name(), rootfsFailure.get().startsWith(VmRuntime.SHARE_FAILURE_PREFIX)
                                    ? VmStatusBuilder.HOST_PATH_MOUNT_FAILED : VmStatusBuilder.ROOTFS_MOUNT_FAILED,
                            "the guest could not mount " + (rootfsFailure.get().startsWith(VmRuntime.SHARE_FAILURE_PREFIX)
                                    ? "a hostPath share: " + rootfsFailure.get().substring(VmRuntime.SHARE_FAILURE_PREFIX.length())
                                    : "the rootfs: " + rootfsFailure.get()));
                    case VOLUME_MOUNT_FAILED -> events.failed(dir.name(), VmStatusBuilder.VOLUME_MOUNT_FAILED,
                            "the guest could not mount a volume: " + volumeFailure.get());
                    default -> dir.panic().ifPresentOrElse(p -> events.failed(dir.name(), p.reason(), p.message(null)),
                            () -> events.vmmExited(dir.name()));
                }
            }
        }
        proc.ifPresent(p -> runtimes.watchExit(dir.name(), p, () -> wake(dir.name())));
        return new VmObserved(true, dir.specHash(), proc.isPresent(), rt != null && rt.workloadRunning() && proc.isPresent(), ended);
    }

    /** Reconnects to a running VM's agent (adoption after a hyprd restart, or after boot). */
    private VmRuntime attach(String name, VmRuntimeDir dir) {
        VmRuntime rt = runtimes.get(name);
        if (rt != null || !dir.exists()) {
            return rt;
        }
        Optional<VmHandle> handle = dir.handle();
        if (handle.isEmpty()) {
            return null;
        }
        Optional<VmProcessInfo> alive = launcher.adopt(name, handle.get(), () -> wake(name));
        alive.ifPresent(p -> {
            events.adopted(name, p.pid());
            LOG.infof("vm/%s: adopted running VMM pid %d", name, p.pid());
        });
        return runtimes.get(name);
    }

    private void boot(String name, String uid, VmSpec spec, String hash, VmRuntimeDir dir, VmStatusBuilder status)
            throws ImagePullFailedException, dev.hypr.controller.volume.VolumeWaitException {
        HypervisorSelector.Choice choice = choice(spec.hypervisor());
        VmHostFit.cpusProblem(spec.cpus(), VmHostFit.hostCpus()).ifPresent(p -> {
            throw new VmConfigException(VmConfigException.INSUFFICIENT_CPUS, "spec.cpus " + p); // e.g. applied by a Sync, which skips the API's check
        });
        var disks = volumes.disks(name, spec); // before anything is set up: a VM waiting for a volume holds nothing
        var hypervisor = hypervisors.select(choice, HostShares.any(spec));
        HostShares.checkSupported(spec, hypervisor);
        var shares = HostShares.prepare(spec);
        GuestKernel kernel = spec.kernel() != null && spec.kernel().path() != null
                ? assets.custom(Path.of(spec.kernel().path())) : assets.defaultKernel(hypervisor.kind());
        Workload workload = workloads().resolve(spec);
        VmLaunchSpec launch = VmLaunchSpecs.build(name, spec, dir.path(), kernel.vmlinux(), kernel.initramfs(), workload, hostMemoryMiB);
        launch = launch.withExtraDisks(disks)
                .withGuest(launch.guest().withVolumes(dev.hypr.controller.volume.VolumeAttachments.guestMounts(spec)));
        if (NetworkChoice.of(spec) == NetworkChoice.BRIDGE) {
            launch = bridges.attach(name, spec).applyTo(launch);
        }
        launch = launch.withShares(shares);
        dir.handle().ifPresent(old -> hypervisors.forKind(old.hypervisor()).kill(old));
        VmLauncher.Launched booted = launcher.launch(name, launch, choice, () -> wake(name),
                kind -> dir.recordBoot(kind, uid, hash, clock.instant()));
        status.booted(booted.hypervisor(), kernel.name());
        events.booted(name, booted.hypervisor(), booted.process().pid());
        LOG.infof("vm/%s: booted with %s, pid %d", name, booted.hypervisor(), booted.process().pid());
    }

    /** A VM's image is pulled when missing (IfNotPresent, as Kubernetes' default for a tag). */
    private WorkloadSource workloads() {
        return new WorkloadSource(ref -> images.ensure(ref, ImageService.DEFAULT_PLATFORM, PullPolicy.IfNotPresent),
                new RootfsResolver(paths.rootfsCache()), new ImageUsers());
    }

    private void stop(String name, VmRuntimeDir dir, VmRuntime rt, VmSpec spec) {
        Optional<VmHandle> handle = dir.handle();
        if (handle.isEmpty()) {
            return;
        }
        // Written first, so the exit this causes is never mistaken for a crash.
        dir.recordEnding(VmObserved.Ending.STOPPED, rt != null ? rt.lastExitCode() : null, clock.instant());
        int grace = spec.stopTimeoutSeconds() == null ? 10 : spec.stopTimeoutSeconds();
        hypervisors.forKind(handle.get().hypervisor())
                .stop(handle.get(), Duration.ofSeconds(grace), Optional.ofNullable(rt).map(VmRuntime::agent));
    }

    /** Kills the VMM if any and removes every file the VM owned. Idempotent. */
    private void destroy(String name, VmRuntimeDir dir) throws IOException {
        runtimes.remove(name);
        bridges.detach(name);
        Optional<VmHandle> handle = dir.handle();
        if (handle.isPresent()) {
            hypervisors.forKind(handle.get().hypervisor()).delete(handle.get());
        } else if (dir.exists()) {
            dev.hypr.controller.vmm.RuntimeFiles.deleteRecursively(dir.path());
        }
        new VmLogFile(paths.vmLog(name), VmLogFile.DEFAULT_MAX_BYTES).deleteFiles();
    }

    private Optional<Duration> crashWait(VmRuntimeDir dir) {
        Instant now = clock.instant();
        Instant endedAt = dir.endedAt().orElse(now);
        int crashes = CrashBackoff.ranLongEnough(dir.startedAt().orElse(null), endedAt) ? 1 : dir.consecutiveCrashes() + 1;
        Duration delay = CrashBackoff.delay(crashes);
        Instant due = endedAt.plus(delay);
        if (now.isBefore(due)) {
            return Optional.of(Duration.between(now, due));
        }
        dir.setConsecutiveCrashes(crashes);
        return Optional.empty();
    }

    /** Writes only the VM controller's fields, over whatever the Forward controller wrote meanwhile. */
    private void writeStatus(String name, ObjectNode status) {
        status.put("nodeName", node.name()); // whose VMM this status describes (the scheduler reads it after an eviction)
        new StatusWriter(store).update(Kind.VM, name,
                fresh -> StatusFields.copy(status, fresh, VmStatusBuilder.OWNED_FIELDS, VmStatusBuilder.OWNED_CONDITIONS));
    }

    private static String failureReason(RuntimeException e) {
        if (e instanceof VmConfigException c) {
            return c.reason();
        }
        if (e instanceof NetworkUnavailableException) {
            return "NetworkUnavailable";
        }
        return e instanceof VmmException ? "StartFailed" : VmConfigException.INVALID_SPEC;
    }

    private static HypervisorSelector.Choice choice(String hypervisor) {
        if (hypervisor == null) {
            return HypervisorSelector.Choice.AUTO;
        }
        return switch (hypervisor) {
            case "qemu" -> HypervisorSelector.Choice.QEMU;
            case "cloud-hypervisor" -> HypervisorSelector.Choice.CLOUD_HYPERVISOR;
            case "auto" -> HypervisorSelector.Choice.AUTO;
            default -> throw new VmConfigException(VmConfigException.UNKNOWN_HYPERVISOR, "unknown hypervisor \"" + hypervisor + "\" (auto, qemu, cloud-hypervisor)");
        };
    }
}
