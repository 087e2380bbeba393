package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.controller.vm.VmObserved.Ending;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every branch of {@link VmPlanner#plan}. */
class VmPlannerTest {
    private static final String HASH = "h1";
    private static final Optional<Integer> NO_EXIT = Optional.empty();

    private static VmObserved alive(String launchedHash) {
        return new VmObserved(true, Optional.ofNullable(launchedHash), true, true, Optional.empty());
    }

    private static VmObserved ended(Ending how, String launchedHash) {
        return new VmObserved(true, Optional.ofNullable(launchedHash), false, false, Optional.of(how));
    }

    private static VmAction plan(VmObserved seen) {
        return VmPlanner.plan(true, false, HASH, "Always", NO_EXIT, seen);
    }

    // --- Deleting ---
    @Test
    void stopsARunningVmFirst() {
        assertEquals(VmAction.STOP, VmPlanner.plan(false, true, HASH, "Always", NO_EXIT, alive(HASH)));
    }

    @Test
    void cleansUpOnceNothingRuns() {
        assertEquals(VmAction.CLEAN_UP, VmPlanner.plan(false, true, HASH, "Always", NO_EXIT, ended(Ending.STOPPED, HASH)));
        assertEquals(VmAction.CLEAN_UP, VmPlanner.plan(false, true, HASH, "Always", NO_EXIT, VmObserved.nothing()));
    }

    @Test
    void winsOverRunningTrue() {
        assertEquals(VmAction.CLEAN_UP, VmPlanner.plan(true, true, HASH, "Always", NO_EXIT, VmObserved.nothing()));
    }

    // --- NotWanted ---
    @Test
    void stopsARunningVm() {
        assertEquals(VmAction.STOP, VmPlanner.plan(false, false, HASH, "Always", NO_EXIT, alive(HASH)));
    }

    @Test
    void leavesAStoppedVmAlone() {
        assertEquals(VmAction.NONE, VmPlanner.plan(false, false, HASH, "Always", NO_EXIT, ended(Ending.STOPPED, HASH)));
        assertEquals(VmAction.NONE, VmPlanner.plan(false, false, HASH, "Always", NO_EXIT, VmObserved.nothing()));
    }

    @Test
    void doesNotRestartACrashedVm() {
        assertEquals(VmAction.NONE, VmPlanner.plan(false, false, HASH, "Always", NO_EXIT, ended(Ending.CRASHED, HASH)));
    }

    // --- Running ---
    @Test
    void sameSpecNeedsNothing() {
        assertEquals(VmAction.NONE, plan(alive(HASH)));
    }

    @Test
    void changedSpecRestarts() {
        assertEquals(VmAction.RESTART_FOR_SPEC_CHANGE, plan(alive("old")));
    }

    @Test
    void unknownLaunchedSpecRestarts() {
        assertEquals(VmAction.RESTART_FOR_SPEC_CHANGE, plan(alive(null)));
    }

    // --- NotRunning ---
    @Test
    void neverBootedStarts() {
        assertEquals(VmAction.START, plan(VmObserved.nothing()));
    }

    @Test
    void runtimeDirWithoutEndingStarts() {
        // e.g. hyprd died between creating the directory and launching the VMM
        assertEquals(VmAction.START, plan(new VmObserved(true, Optional.of(HASH), false, false, Optional.empty())));
    }

    @Test
    void stoppedByHyprdStartsAgain() {
        assertEquals(VmAction.START, plan(ended(Ending.STOPPED, HASH)));
    }

    @Test
    void completedStaysDoneUntilTheSpecChanges() {
        assertEquals(VmAction.NONE, plan(ended(Ending.COMPLETED, HASH)));
        assertEquals(VmAction.START, plan(ended(Ending.COMPLETED, "old")));
    }

    @Test
    void aRootfsTheGuestCannotMountIsNotRebootedUntilTheSpecChanges() {
        assertEquals(VmAction.NONE, plan(ended(Ending.ROOTFS_MOUNT_FAILED, HASH)));
        assertEquals(VmAction.START, plan(ended(Ending.ROOTFS_MOUNT_FAILED, "old")));
        assertEquals(VmAction.NONE, plan(ended(Ending.VOLUME_MOUNT_FAILED, HASH)), "a volume that cannot be mounted: no crash loop");
        assertEquals(VmAction.START, plan(ended(Ending.VOLUME_MOUNT_FAILED, "old")));
        assertEquals(VmAction.NONE, plan(ended(Ending.FILE_WRITE_FAILED, HASH)), "a file the guest cannot write: no crash loop");
        assertEquals(VmAction.START, plan(ended(Ending.FILE_WRITE_FAILED, "old")));
    }

    @Test
    void crashedWithANewSpecBootsAtOnceWithoutBackOff() {
        assertEquals(VmAction.START, VmPlanner.plan(true, false, HASH, "Never", NO_EXIT, ended(Ending.CRASHED, "old")));
    }

    // --- CrashedUnderPolicy ---
    private VmAction crashed(String policy, Optional<Integer> exit) {
        return VmPlanner.plan(true, false, HASH, policy, exit, ended(Ending.CRASHED, HASH));
    }

    @Test
    void alwaysRestarts() {
        assertEquals(VmAction.RESTART_AFTER_CRASH, crashed("Always", Optional.of(0)));
        assertEquals(VmAction.RESTART_AFTER_CRASH, crashed("Always", NO_EXIT));
    }

    @Test
    void neverLeavesItDown() {
        assertEquals(VmAction.NONE, crashed("Never", Optional.of(1)));
    }

    @Test
    void onFailureRestartsUnlessTheWorkloadSucceeded() {
        assertEquals(VmAction.NONE, crashed("OnFailure", Optional.of(0)));
        assertEquals(VmAction.RESTART_AFTER_CRASH, crashed("OnFailure", Optional.of(1)));
        assertEquals(VmAction.RESTART_AFTER_CRASH, crashed("OnFailure", NO_EXIT), "a VMM kill is a failure");
    }
}
