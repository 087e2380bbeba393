package dev.hypr.controller.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.build.Dockerfile;
import dev.hypr.api.build.DockerfileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the planner makes of RUN mounts, COPY --from=IMAGE, ADD and COPY here-documents (FROM scratch: no image needed). */
class DockerfilePlannerTest {
    private static List<Stage> plan(String text) throws Exception {
        return DockerfilePlanner.plan(Dockerfile.parse("Dockerfile", text), Map.of(), null, ref -> {
            throw new AssertionError("no image is resolved while planning FROM scratch: " + ref);
        });
    }

    private static BuildStep step(List<Stage> stages, int stage, int index) {
        return stages.get(stage).steps().get(index);
    }

    @Test
    void cacheMountKeepsItsOptionsAndDefaultsItsIdToTheTarget() throws Exception {
        List<Stage> s = plan("""
                FROM scratch
                WORKDIR /src
                RUN --mount=type=cache,target=.cache,sharing=locked,uid=1,gid=2,mode=0700 ["/bin/true"]
                RUN --mount=type=cache,id=go,target=/root/go ["/bin/true"]
                """);
        BuildStep.Run first = (BuildStep.Run) step(s, 0, 1);
        assertEquals(List.of(new BuildStep.CacheMount("/src/.cache", "/src/.cache", "locked", 1, 2, 0700)), first.mounts());
        assertTrue(first.text().contains("--mount=type=cache,target=/src/.cache"), first.text());
        BuildStep.Run second = (BuildStep.Run) step(s, 0, 2);
        assertEquals(List.of(new BuildStep.CacheMount("/root/go", "go", "shared", 0, 0, 0755)), second.mounts());
    }

    @Test
    void bindMountFromAStageMakesItADependencyFromAnImageDoesNot() throws Exception {
        List<Stage> s = plan("""
                FROM scratch AS gen
                COPY a /a
                FROM scratch
                RUN --mount=type=bind,from=gen,source=/out,target=/x,rw --mount=type=bind,from=example.org/tools:1,target=/t ["/x/run"]
                RUN --mount=type=bind,target=/ctx ["/ctx/run"]
                """);
        BuildStep.Run run = (BuildStep.Run) step(s, 1, 0);
        assertEquals(new BuildStep.BindMount("/x", "/out", Optional.of("gen"), Optional.empty(), true), run.mounts().get(0));
        assertEquals(new BuildStep.BindMount("/t", "/", Optional.empty(), Optional.of("example.org/tools:1"), false), run.mounts().get(1));
        assertEquals(List.of("gen"), s.get(1).stageDependencies(List.of("gen", "1")));
        BuildStep.Run context = (BuildStep.Run) step(s, 1, 1);
        assertEquals(new BuildStep.BindMount("/ctx", "/", Optional.empty(), Optional.empty(), false), context.mounts().get(0));
    }

    @Test
    void copyFromAnImageAndAddOptions() throws Exception {
        List<Stage> s = plan("""
                FROM scratch
                COPY --from=example.org/base@sha256:%s /etc/os-release /os
                ADD --checksum=sha256:%s https://example.org/tool.tgz /opt/
                ADD local.tar.gz /opt/
                """.formatted("a".repeat(64), "b".repeat(64)));
        BuildStep.Copy fromImage = (BuildStep.Copy) step(s, 0, 0);
        assertEquals(Optional.of("example.org/base@sha256:" + "a".repeat(64)), fromImage.fromImage());
        assertEquals(Optional.empty(), fromImage.fromStage());
        BuildStep.Copy url = (BuildStep.Copy) step(s, 0, 1);
        assertTrue(url.add());
        assertEquals(Optional.of("sha256:" + "b".repeat(64)), url.checksum());
        assertTrue(url.text().contains("--checksum=sha256:"), "the checksum is part of the step's text, so of its key");
        assertTrue(((BuildStep.Copy) step(s, 0, 2)).add());
    }

    @Test
    void copyHereDocumentsBecomeInlineFiles() throws Exception {
        List<Stage> s = plan("""
                FROM scratch
                COPY <<EOF /etc/motd
                hello
                EOF
                """);
        BuildStep.Copy c = (BuildStep.Copy) step(s, 0, 0);
        assertEquals(List.of(new BuildStep.InlineFile("EOF", "hello\n")), c.inline());
        assertEquals(List.of(), c.sources());
        assertEquals("/etc/motd", c.dest());
    }

    @Test
    void whatTheBuilderCannotDoIsRefusedWithTheLine() {
        DockerfileException git = assertThrows(DockerfileException.class, () -> plan("""
                FROM scratch
                ADD https://github.com/example/repo.git /src
                """));
        assertTrue(git.getMessage().startsWith("Dockerfile:2") && git.getMessage().contains("git repository"), git.getMessage());
        DockerfileException sshGit = assertThrows(DockerfileException.class, () -> plan("FROM scratch\nADD git@github.com:x/y.git /src\n"));
        assertTrue(sshGit.getMessage().contains("git repository"), sshGit.getMessage());
        DockerfileException tmpfs = assertThrows(DockerfileException.class, () -> plan("FROM scratch\nRUN --mount=type=tmpfs,target=/t [\"/bin/true\"]\n"));
        assertTrue(tmpfs.getMessage().startsWith("Dockerfile:2") && tmpfs.getMessage().contains("type=tmpfs"), tmpfs.getMessage());
        DockerfileException seeded = assertThrows(DockerfileException.class,
                () -> plan("FROM scratch AS a\nFROM scratch\nRUN --mount=type=cache,target=/c,from=a [\"/bin/true\"]\n"));
        assertTrue(seeded.getMessage().contains("not supported"), seeded.getMessage());
    }

    @Test
    void gitSourcesAreRecognised() {
        assertTrue(DockerfilePlanner.isGitSource("git@github.com:a/b.git"));
        assertTrue(DockerfilePlanner.isGitSource("https://github.com/a/b.git#main"));
        assertTrue(DockerfilePlanner.isGitSource("git://example.org/r"));
        assertTrue(!DockerfilePlanner.isGitSource("https://example.org/file.tar.gz"));
    }
}
