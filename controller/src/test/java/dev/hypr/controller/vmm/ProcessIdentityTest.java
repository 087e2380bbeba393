package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessIdentityTest {
    @Test
    void recognisesItselfAndRejectsAnotherStartTime() {
        long me = ProcessHandle.current().pid();
        long ticks = ProcessIdentity.startTicks(me).orElseThrow();
        assertTrue(ProcessIdentity.isSame(me, ticks));
        assertFalse(ProcessIdentity.isSame(me, ticks + 1), "a reused pid has another start time");
        assertTrue(ProcessIdentity.startTicks(Long.MAX_VALUE).isEmpty());
    }
}
