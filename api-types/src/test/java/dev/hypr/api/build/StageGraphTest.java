package dev.hypr.api.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StageGraphTest {
    private static StageGraph graph(String text) {
        return StageGraph.of(Dockerfile.parse("Dockerfile", text), Map.of());
    }

    private static List<String> names(List<Stage> stages) {
        return stages.stream().map(Stage::displayName).toList();
    }

    private static final String MULTI = """
            FROM busybox AS base
            RUN echo base
            FROM base AS build
            COPY --from=tools /bin/tool /bin/
            FROM alpine AS tools
            FROM busybox AS unused
            FROM scratch AS final
            COPY --from=build /out /
            COPY --from=docker.io/library/nginx:1 /etc/nginx /etc/nginx
            """;

    @Test
    void targetNeedsOnlyItsDependencies() {
        StageGraph g = graph(MULTI);
        assertEquals(List.of("base", "tools", "build", "final"), names(g.buildOrder(null)));
        assertEquals(List.of("base"), names(g.buildOrder("base")));
        assertEquals(List.of("base", "tools", "build"), names(g.buildOrder("BUILD")));
        assertEquals(List.of("unused"), names(g.buildOrder("unused")));
        assertEquals(Set.of("docker.io/library/nginx:1"), g.node(4).images());
        assertEquals(0, g.node(1).baseStage());
        assertEquals("busybox", g.node(0).baseImage());
        assertEquals(null, g.node(1).baseImage());
    }

    @Test
    void independentStagesShareAWave() {
        StageGraph g = graph(MULTI);
        List<List<Stage>> waves = g.waves(null);
        assertEquals(List.of("base", "tools"), names(waves.get(0)));
        assertEquals(List.of("build"), names(waves.get(1)));
        assertEquals(List.of("final"), names(waves.get(2)));
    }

    @Test
    void stageIndexAndArgsInNames() {
        StageGraph g = graph("ARG BASE=busybox\nFROM ${BASE}:1 AS one\nFROM scratch\nARG SRC=one\nCOPY --from=0 /a /a\n"
                + "COPY --from=$SRC /b /b\nRUN --mount=from=one,target=/m true\n");
        assertEquals("busybox:1", g.node(0).baseImage());
        assertEquals(Set.of(0), g.node(1).stageDeps());
        assertTrue(g.node(1).images().isEmpty());
        StageGraph overridden = StageGraph.of(Dockerfile.parse("Dockerfile", "ARG BASE=busybox\nFROM $BASE\n"),
                Map.of("BASE", "debian"));
        assertEquals("debian", overridden.node(0).baseImage());
    }

    @Test
    void errors() {
        DockerfileException later = assertThrows(DockerfileException.class,
                () -> graph("FROM later AS first\nFROM busybox AS later\n"));
        assertTrue(later.getMessage().startsWith("Dockerfile:1: FROM: stage \"later\" is defined later (line 2)"), later.getMessage());
        DockerfileException cycle = assertThrows(DockerfileException.class,
                () -> graph("FROM busybox AS a\nCOPY --from=b /x /x\nFROM busybox AS b\nCOPY --from=a /y /y\n"));
        assertTrue(cycle.detail().startsWith("circular dependency detected on stage"), cycle.getMessage());
        DockerfileException self = assertThrows(DockerfileException.class,
                () -> graph("FROM busybox AS a\nCOPY --from=a /x /x\n"));
        assertTrue(self.detail().contains("circular"));
        DockerfileException index = assertThrows(DockerfileException.class,
                () -> graph("FROM busybox\nCOPY --from=3 /x /x\n"));
        assertEquals("Dockerfile:2: COPY: invalid stage index 3 (the Dockerfile has 1 stage)", index.getMessage());
        DockerfileException target = assertThrows(DockerfileException.class, () -> graph(MULTI).buildOrder("nope"));
        assertTrue(target.detail().contains("target stage \"nope\" could not be found"), target.getMessage());
    }
}
