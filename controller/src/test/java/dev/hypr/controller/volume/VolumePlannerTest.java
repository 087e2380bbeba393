package dev.hypr.controller.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.controller.volume.VolumePlan.Step;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every branch of {@link VolumePlanner#plan}, as a table. */
class VolumePlannerTest {
    private static final List<String> NONE = List.of();

    static Stream<Arguments> table() {
        return Stream.of(
                // case, deleting, desired, current, referencedBy, runningOn, expected plan
                Arguments.of("new volume is made", false, 1024L, null, NONE, NONE, plan(Step.CREATE, 1024)),
                Arguments.of("new volume a VM already names is made", false, 64L, null, List.of("web"), NONE, plan(Step.CREATE, 64)),
                Arguments.of("same size: nothing", false, 64L, 64L, List.of("web"), List.of("web"), plan(Step.NONE, 64)),
                Arguments.of("grow, unused", false, 128L, 64L, NONE, NONE, plan(Step.GROW, 128)),
                Arguments.of("grow, named by a stopped VM", false, 128L, 64L, List.of("web"), NONE, plan(Step.GROW, 128)),
                Arguments.of("grow while VMs run: waits, keeps the size", false, 128L, 64L, List.of("b", "a"), List.of("b", "a"),
                        new VolumePlan(Step.RESIZE_PENDING, 64, List.of("a", "b"))),
                Arguments.of("shrink refused, keeps the size", false, 32L, 64L, NONE, NONE, plan(Step.REFUSE_SHRINK, 64)),
                Arguments.of("shrink refused even while running", false, 32L, 64L, List.of("a"), List.of("a"),
                        plan(Step.REFUSE_SHRINK, 64)),
                Arguments.of("delete unused", true, 64L, 64L, NONE, NONE, plan(Step.DELETE, 64)),
                Arguments.of("delete never made", true, 64L, null, NONE, NONE, plan(Step.DELETE, 0)),
                Arguments.of("delete held by a stopped VM that names it", true, 64L, 64L, List.of("web", "db", "web"), NONE,
                        new VolumePlan(Step.HOLD_DELETE, 64, List.of("db", "web"))),
                Arguments.of("deletion wins over a shrink", true, 1L, 64L, NONE, NONE, plan(Step.DELETE, 64)));
    }

    private static VolumePlan plan(Step step, long size) {
        return new VolumePlan(step, size, NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void plans(String name, boolean deleting, long desired, Long current, List<String> referencedBy, List<String> runningOn,
            VolumePlan expected) {
        assertEquals(expected, VolumePlanner.plan(deleting, desired, current, referencedBy, runningOn));
    }
}
