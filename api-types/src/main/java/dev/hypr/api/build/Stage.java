package dev.hypr.api.build;

import java.util.List;

/**
 * One build stage: its FROM and the instructions after it. {@code name} is the lower-cased
 * {@code AS} name or null; {@link #displayName()} is what BuildKit prints ({@code stage-N} when
 * unnamed).
 */
public record Stage(int index, String name, Instruction.From from, List<Instruction> instructions) {
    public Stage {
        instructions = List.copyOf(instructions);
    }

    public String displayName() {
        return name != null ? name : "stage-" + index;
    }
}
