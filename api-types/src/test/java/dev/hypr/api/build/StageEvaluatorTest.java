package dev.hypr.api.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.api.build.Instruction.Copy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StageEvaluatorTest {
    private static final String AMD = "linux/amd64";

    /** Evaluates the last stage on an empty base; returns the expanded instructions. */
    private static List<Instruction> eval(String text, Map<String, String> buildArgs, StageEvaluator.State[] out) {
        Dockerfile df = Dockerfile.parse("Dockerfile", text);
        StageEvaluator ev = new StageEvaluator(df, buildArgs, AMD);
        Stage stage = df.stages().get(df.stages().size() - 1);
        StageEvaluator.State st = ev.begin(stage, new BuildConfig());
        List<Instruction> expanded = new ArrayList<>();
        stage.instructions().forEach(i -> expanded.add(st.apply(i)));
        out[0] = st;
        return expanded;
    }

    @Test
    void envAndArgReachRun() {
        StageEvaluator.State[] st = new StageEvaluator.State[1];
        eval("FROM x\nARG VERSION=1\nARG FROM_CLI\nENV GREETING=\"hello $VERSION\" VERSION=env\nRUN echo $GREETING\n",
                Map.of("FROM_CLI", "cli", "HTTP_PROXY", "http://proxy:3128"), st);
        Map<String, String> env = st[0].runEnv();
        assertEquals("hello 1", env.get("GREETING"));
        assertEquals("env", env.get("VERSION"), "ENV overrides an ARG of the same name");
        assertEquals("cli", env.get("FROM_CLI"));
        assertEquals("http://proxy:3128", env.get("HTTP_PROXY"), "proxy args need no ARG line");
        assertEquals(Map.of("VERSION", "1", "FROM_CLI", "cli"), st[0].cacheArgs());
        assertEquals(List.of("GREETING=hello 1", "VERSION=env"), st[0].config().envList(),
                "ARGs are not persisted in the image");
    }

    @Test
    void envPairsSeeTheValuesBeforeTheInstruction() {
        StageEvaluator.State[] st = new StageEvaluator.State[1];
        eval("FROM x\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n", Map.of(), st);
        assertEquals("hello", st[0].config().env.get("def"));
        assertEquals("bye", st[0].config().env.get("ghi"));
    }

    @Test
    void globalArgNeedsRedeclaringInTheStage() {
        String text = "ARG V=1.0\nFROM x:$V\nRUN echo a\nARG V\nRUN echo b\n";
        Dockerfile df = Dockerfile.parse("Dockerfile", text);
        StageEvaluator ev = new StageEvaluator(df, Map.of(), AMD);
        assertEquals("x:1.0", ev.baseImage(df.stages().get(0)));
        StageEvaluator.State st = ev.begin(df.stages().get(0), new BuildConfig());
        st.apply(df.stages().get(0).instructions().get(0));
        assertNull(st.runEnv().get("V"), "a global ARG is not in scope until the stage declares it");
        st.apply(df.stages().get(0).instructions().get(1));
        assertEquals("1.0", st.runEnv().get("V"));
        StageEvaluator cli = new StageEvaluator(df, Map.of("V", "2.0", "NOBODY", "x"), AMD);
        assertEquals("x:2.0", cli.baseImage(df.stages().get(0)));
        assertEquals(Set.of("NOBODY"), cli.unusedBuildArgs());
    }

    @Test
    void platformArgsAndPlatformCheck() {
        Dockerfile df = Dockerfile.parse("Dockerfile", "FROM --platform=$BUILDPLATFORM x AS a\nARG TARGETARCH\n"
                + "FROM --platform=linux/s390x y\n");
        StageEvaluator ev = new StageEvaluator(df, Map.of(), AMD);
        assertEquals("x", ev.baseImage(df.stages().get(0)));
        StageEvaluator.State st = ev.begin(df.stages().get(0), new BuildConfig());
        st.apply(df.stages().get(0).instructions().get(0));
        assertEquals("amd64", st.runEnv().get("TARGETARCH"));
        DockerfileException e = assertThrows(DockerfileException.class, () -> ev.baseImage(df.stages().get(1)));
        assertTrue(e.getMessage().startsWith("Dockerfile:3: FROM: --platform=linux/s390x is not supported"), e.getMessage());
    }

    @Test
    void configInstructions() throws Exception {
        StageEvaluator.State[] st = new StageEvaluator.State[1];
        List<Instruction> out = eval("FROM x\nARG PORT=8080\nENV APP=/srv/app\nWORKDIR $APP\nWORKDIR sub/../bin\n"
                + "USER ${RUNAS:-app}:app\nEXPOSE $PORT 53/udp 7000-7001\nVOLUME $APP/data /logs\n"
                + "LABEL org.example.v=\"$PORT\" \"with space\"=yes\nSTOPSIGNAL SIGINT\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\n"
                + "CMD run $PORT\nHEALTHCHECK --interval=10s CMD wget -q localhost\nONBUILD RUN echo later\n", Map.of(), st);
        BuildConfig c = st[0].config();
        assertEquals("/srv/app/bin", c.workingDir);
        assertEquals("app:app", c.user);
        assertEquals(Set.of("8080/tcp", "53/udp", "7000/tcp", "7001/tcp"), c.exposedPorts);
        assertEquals(Set.of("/srv/app/data", "/logs"), c.volumes);
        assertEquals(Map.of("org.example.v", "8080", "with space", "yes"), c.labels);
        assertEquals("SIGINT", c.stopSignal);
        assertEquals(List.of("/bin/ash", "-eo", "pipefail", "-c", "run $PORT"), c.cmd, "CMD is not expanded: the shell does that");
        assertEquals(List.of("CMD-SHELL", "wget -q localhost"), c.healthcheck.test());
        assertEquals(List.of("RUN echo later"), c.onBuild);
        assertEquals("/srv/app/bin", ((Instruction.Workdir) out.get(3)).path());
        String json = new ObjectMapper().writeValueAsString(c.toJson());
        assertTrue(json.contains("\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"wget -q localhost\"],\"Interval\":10000000000}"), json);
        BuildConfig back = BuildConfig.fromJson(c.toJson());
        assertEquals(c.toJson(), back.toJson());
    }

    @Test
    void entrypointResetsAnInheritedCmd() {
        BuildConfig base = new BuildConfig();
        base.cmd = List.of("sh");
        Dockerfile df = Dockerfile.parse("Dockerfile", "FROM x\nENTRYPOINT [\"/app\"]\n");
        StageEvaluator.State st = new StageEvaluator(df, Map.of(), AMD).begin(df.stages().get(0), base);
        st.apply(df.stages().get(0).instructions().get(0));
        assertNull(st.config().cmd);
        assertEquals(List.of("/app"), st.config().entrypoint);
        assertEquals(List.of("sh"), base.cmd, "the base config is not changed");
    }

    @Test
    void copyIsExpandedAndDestinationResolvedAgainstWorkdir() {
        StageEvaluator.State[] st = new StageEvaluator.State[1];
        List<Instruction> out = eval("FROM x\nARG UID=1000\nWORKDIR /app\nENV SRC=src\n"
                + "COPY --chown=$UID:$UID --chmod=0644 $SRC/ ./\nCOPY a.txt conf/b.txt\nCOPY <<EOF /greeting\nhi $SRC\nEOF\n", Map.of(), st);
        Copy c = (Copy) out.get(3);
        assertEquals(List.of("src/"), c.sources());
        assertEquals("/app/", c.dest());
        assertEquals("1000:1000", c.chown());
        assertEquals("/app/conf/b.txt", ((Copy) out.get(4)).dest());
        assertEquals("hi src\n", ((Copy) out.get(5)).heredocs().get(0).content());
    }

    @Test
    void runArgvUsesTheShellAndMountsAreExpanded() {
        StageEvaluator.State[] st = new StageEvaluator.State[1];
        List<Instruction> out = eval("FROM x\nARG CACHE=/cache\nWORKDIR /w\nSHELL [\"/bin/bash\", \"-c\"]\n"
                + "RUN --mount=type=cache,target=$CACHE,id=c1 --mount=type=bind,target=src make $CACHE\nRUN [\"/bin/true\"]\n", Map.of(), st);
        Instruction.Run run = (Instruction.Run) out.get(3);
        assertEquals("/cache", run.mounts().get(0).target());
        assertEquals("/w/src", run.mounts().get(1).target());
        assertEquals(List.of("/bin/bash", "-c", "make $CACHE"), st[0].runArgv(run));
        assertEquals(List.of("/bin/true"), st[0].runArgv((Instruction.Run) out.get(4)));
    }

    @Test
    void expansionErrorsNameTheInstruction() {
        DockerfileException e = assertThrows(DockerfileException.class,
                () -> eval("FROM x\nWORKDIR ${NOPE:?is required}\n", Map.of(), new StageEvaluator.State[1]));
        assertEquals("Dockerfile:2: WORKDIR: NOPE: is required", e.getMessage());
        assertTrue(assertThrows(DockerfileException.class, () -> eval("FROM x\nEXPOSE 99999\n", Map.of(),
                new StageEvaluator.State[1])).detail().contains("invalid port"));
        assertTrue(assertThrows(DockerfileException.class, () -> eval("FROM x\nSTOPSIGNAL kill-me\n", Map.of(),
                new StageEvaluator.State[1])).detail().contains("invalid signal"));
    }
}
