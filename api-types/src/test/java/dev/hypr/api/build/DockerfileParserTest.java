package dev.hypr.api.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.build.Instruction.ArgDecl;
import dev.hypr.api.build.Instruction.Copy;
import dev.hypr.api.build.Instruction.KeyValue;
import dev.hypr.api.build.Instruction.Run;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {
    private static Dockerfile parse(String text) {
        return Dockerfile.parse("Dockerfile", text);
    }

    private static List<Instruction> body(String text) {
        return parse(text).stages().get(0).instructions();
    }

    private static DockerfileException error(String text) {
        return assertThrows(DockerfileException.class, () -> parse(text));
    }

    @Test
    void fromWithStageNameAndPlatform() {
        Dockerfile df = parse("FROM --platform=$BUILDPLATFORM busybox:1.36 AS Build\nFROM build\n");
        assertEquals(2, df.stages().size());
        Instruction.From f = df.stages().get(0).from();
        assertEquals("busybox:1.36", f.image());
        assertEquals("$BUILDPLATFORM", f.platform());
        assertEquals("build", f.name());
        assertEquals("stage-1", df.stages().get(1).displayName());
        assertEquals(2, df.stages().get(1).from().line());
    }

    @Test
    void keywordsAreCaseInsensitive() {
        List<Instruction> b = body("from scratch\nrun echo hi\nCoPy a b\n");
        assertTrue(b.get(0) instanceof Run);
        assertTrue(b.get(1) instanceof Copy);
    }

    @Test
    void runShellAndExecForm() {
        List<Instruction> b = body("FROM x\nRUN echo \"$HOME\" && ls\nRUN [\"/bin/echo\", \"a b\"]\nRUN [not json\n");
        Run shell = (Run) b.get(0);
        assertFalse(shell.execForm());
        assertEquals(List.of("echo \"$HOME\" && ls"), shell.command());
        Run exec = (Run) b.get(1);
        assertTrue(exec.execForm());
        assertEquals(List.of("/bin/echo", "a b"), exec.command());
        Run notJson = (Run) b.get(2);
        assertFalse(notJson.execForm(), "text that is not a JSON array is shell form");
        assertEquals("[not json", notJson.command().get(0));
    }

    @Test
    void jsonWithNonStringsIsAnError() {
        DockerfileException e = error("FROM x\nCMD [\"a\", 1]\n");
        assertEquals(2, e.line());
        assertEquals("CMD", e.instruction());
        assertTrue(e.getMessage().startsWith("Dockerfile:2: CMD: "), e.getMessage());
    }

    @Test
    void continuationsSkipCommentsAndBlankLines() {
        Dockerfile df = parse("FROM x\nRUN echo a \\\n# a comment inside\n\n    && echo b \\  \n  && echo c\nUSER nobody\n");
        Run run = (Run) df.stages().get(0).instructions().get(0);
        assertEquals("echo a     && echo b   && echo c", run.command().get(0));
        Instruction.User user = (Instruction.User) df.stages().get(0).instructions().get(1);
        assertEquals(7, user.line());
        assertTrue(df.warnings().stream().anyMatch(w -> w.message().contains("empty continuation")));
    }

    @Test
    void escapeDirectiveChangesTheContinuationCharacter() {
        Dockerfile df = parse("# escape=`\nFROM x\nRUN dir c:\\ `\n  && echo b\n");
        assertEquals('`', df.escape());
        assertEquals("dir c:\\   && echo b", ((Run) df.stages().get(0).instructions().get(0)).command().get(0));
    }

    @Test
    void syntaxDirectiveIsIgnoredWithANote() {
        Dockerfile df = parse("# syntax=docker/dockerfile:1\nFROM x\n");
        assertEquals("docker/dockerfile:1", df.syntax());
        assertTrue(df.warnings().get(0).message().contains("ignored"));
        assertEquals(1, df.warnings().get(0).line());
    }

    @Test
    void directivesOnlyAtTheTop() {
        Dockerfile df = parse("FROM x\n# escape=`\nRUN a \\\n b\n");
        assertEquals('\\', df.escape());
        assertEquals("a  b", ((Run) df.stages().get(0).instructions().get(0)).command().get(0));
        assertEquals("only one escape parser directive can be used",
                error("# escape=`\n# escape=\\\nFROM x").detail());
        assertTrue(error("# escape=x\nFROM x").detail().contains("invalid escape token"));
    }

    @Test
    void heredocs() {
        Dockerfile df = parse("FROM x\nRUN <<EOF\necho one\necho $HOME\nEOF\nRUN <<-'END' cat > /f\n\t\tliteral $X\n\tEND\n"
                + "COPY <<A <<\"B\" /dest/\nfile a $V\nA\nfile b\nB\nUSER u\n");
        List<Instruction> b = df.stages().get(0).instructions();
        Run r1 = (Run) b.get(0);
        assertEquals("echo one\necho $HOME\n", r1.heredocs().get(0).content());
        assertTrue(r1.heredocs().get(0).expand());
        assertEquals("<<EOF\necho one\necho $HOME\nEOF", r1.script());
        Run r2 = (Run) b.get(1);
        assertTrue(r2.heredocs().get(0).chomp());
        assertFalse(r2.heredocs().get(0).expand());
        assertEquals("literal $X\n", r2.heredocs().get(0).content());
        Copy c = (Copy) b.get(2);
        assertEquals(List.of(), c.sources());
        assertEquals(2, c.heredocs().size());
        assertEquals("file a $V\n", c.heredocs().get(0).content());
        assertFalse(c.heredocs().get(1).expand());
        assertEquals("/dest/", c.dest());
        assertEquals(14, b.get(3).line());
        assertTrue(error("FROM x\nRUN <<EOF\necho\n").detail().contains("unterminated heredoc"));
    }

    @Test
    void runMountsAndNetwork() {
        Run r = (Run) body("FROM x\nRUN --mount=type=cache,target=/root/.cache,sharing=locked "
                + "--mount=type=secret,id=tok,required=true --mount=target=/src,from=build --network=none make\n").get(0);
        assertEquals(3, r.mounts().size());
        assertEquals("cache", r.mounts().get(0).type());
        assertEquals("/root/.cache", r.mounts().get(0).target());
        assertEquals("tok", r.mounts().get(1).option("id"));
        assertEquals("bind", r.mounts().get(2).type());
        assertTrue(r.mounts().get(2).readOnly());
        assertFalse(r.mounts().get(0).readOnly());
        assertEquals("none", r.network());
        assertEquals(List.of("make"), r.command());
        assertTrue(error("FROM x\nRUN --mount=type=nfs,target=/x a\n").detail().contains("unsupported mount type"));
        assertTrue(error("FROM x\nRUN --mount=type=cache a\n").detail().contains("needs a target"));
        assertTrue(error("FROM x\nRUN --network=bridge a\n").detail().contains("--network=bridge"));
    }

    @Test
    void copyAndAddFlags() {
        List<Instruction> b = body("FROM x\nCOPY --from=build --chown=1000:1000 --chmod=0755 --link a b /dst/\n"
                + "ADD --checksum=sha256:" + "a".repeat(64) + " https://example.com/f.tgz /f.tgz\n"
                + "COPY [\"with space\", \"/d\"]\nCOPY --exclude=*.md --exclude=tmp . /app\nADD app.tar /opt/\n");
        Copy c = (Copy) b.get(0);
        assertEquals("build", c.from());
        assertEquals("1000:1000", c.chown());
        assertEquals("0755", c.chmod());
        assertTrue(c.link());
        assertEquals(List.of("a", "b"), c.sources());
        assertEquals("/dst/", c.dest());
        Copy add = (Copy) b.get(1);
        assertTrue(add.add());
        assertEquals("ADD", add.keyword());
        assertEquals("sha256:" + "a".repeat(64), add.checksum());
        assertEquals(List.of("with space"), ((Copy) b.get(2)).sources());
        assertEquals(List.of("*.md", "tmp"), ((Copy) b.get(3)).excludes());
        assertNull(((Copy) b.get(4)).from());
        DockerfileException one = error("FROM x\nCOPY onlyone\n");
        assertTrue(one.getMessage().startsWith("Dockerfile:2: COPY: COPY requires at least two arguments"), one.getMessage());
        assertEquals("unknown flag: --from", error("FROM x\nADD --from=a b c\n").detail());
        assertTrue(error("FROM x\nADD --checksum=sha256:abc https://x/y /y\n").detail().contains("invalid --checksum"));
        assertTrue(error("FROM x\nADD --checksum=sha256:" + "a".repeat(64) + " local /y\n").detail().contains("URL"));
        assertTrue(error("FROM x\nCOPY --chmod=rwx a b\n").detail().contains("--chmod"));
        assertEquals("unknown flag: --chwon", error("FROM x\nCOPY --chwon=a b c\n").detail());
        assertEquals("missing a value on flag: --from", error("FROM x\nCOPY --from a b\n").detail());
    }

    @Test
    void envBothForms() {
        List<Instruction> b = body("FROM x\nENV A=1 B=\"two words\" C=three\\ words\nENV LEGACY value with spaces\n");
        assertEquals(List.of(new KeyValue("A", "1"), new KeyValue("B", "\"two words\""), new KeyValue("C", "three\\ words")),
                ((Instruction.Env) b.get(0)).pairs());
        assertEquals(List.of(new KeyValue("LEGACY", "value with spaces")), ((Instruction.Env) b.get(1)).pairs());
        assertTrue(error("FROM x\nENV A=1 B\n").detail().contains("can't find ="));
        assertTrue(error("FROM x\nENV ONLYKEY\n").detail().contains("two arguments"));
    }

    @Test
    void argsGlobalAndPerStage() {
        Dockerfile df = parse("ARG VERSION=1.36\nARG BASE\nFROM busybox:${VERSION}\nARG VERSION\nARG A=1 B\n");
        assertEquals(2, df.globalArgs().size());
        assertEquals(new ArgDecl("VERSION", "1.36"), df.globalArgs().get(0).args().get(0));
        assertEquals(new ArgDecl("BASE", null), df.globalArgs().get(1).args().get(0));
        Instruction.Arg multi = (Instruction.Arg) df.stages().get(0).instructions().get(1);
        assertEquals(List.of(new ArgDecl("A", "1"), new ArgDecl("B", null)), multi.args());
    }

    @Test
    void simpleInstructions() {
        List<Instruction> b = body("FROM x\nWORKDIR /app dir\nUSER app:staff\nSHELL [\"/bin/sh\", \"-ec\"]\n"
                + "EXPOSE 80 443/tcp 53/udp\nVOLUME [\"/data\", \"/logs\"]\nVOLUME /a /b\nLABEL a=b \"c d\"=e\n"
                + "CMD [\"run\"]\nENTRYPOINT exec app\nSTOPSIGNAL SIGINT\nMAINTAINER Jane <j@x>\n");
        assertEquals("/app dir", ((Instruction.Workdir) b.get(0)).path());
        assertEquals("app:staff", ((Instruction.User) b.get(1)).user());
        assertEquals(List.of("/bin/sh", "-ec"), ((Instruction.Shell) b.get(2)).shell());
        assertEquals(List.of("80", "443/tcp", "53/udp"), ((Instruction.Expose) b.get(3)).ports());
        assertEquals(List.of("/data", "/logs"), ((Instruction.Volume) b.get(4)).paths());
        assertEquals(List.of("/a", "/b"), ((Instruction.Volume) b.get(5)).paths());
        assertEquals(List.of(new KeyValue("a", "b"), new KeyValue("\"c d\"", "e")), ((Instruction.Label) b.get(6)).pairs());
        Instruction.Cmd cmd = (Instruction.Cmd) b.get(7);
        assertTrue(cmd.execForm());
        assertFalse(cmd.entrypoint());
        Instruction.Cmd ep = (Instruction.Cmd) b.get(8);
        assertTrue(ep.entrypoint());
        assertEquals(List.of("exec app"), ep.command());
        assertEquals("SIGINT", ((Instruction.StopSignal) b.get(9)).signal());
        Instruction.Label m = (Instruction.Label) b.get(10);
        assertTrue(m.maintainer());
        assertEquals(List.of(new KeyValue("maintainer", "Jane <j@x>")), m.pairs());
        assertTrue(error("FROM x\nSHELL /bin/bash -c\n").detail().contains("JSON form"));
        assertTrue(error("FROM x\nWORKDIR\n").detail().contains("requires at least one argument"));
    }

    @Test
    void healthcheck() {
        List<Instruction> b = body("FROM x\nHEALTHCHECK --interval=5s --timeout=1m30s --start-period=2s --retries=4 CMD curl -f http://localhost/\n"
                + "HEALTHCHECK CMD [\"/bin/check\", \"-q\"]\nHEALTHCHECK NONE\n");
        Instruction.Healthcheck h = (Instruction.Healthcheck) b.get(0);
        assertEquals(List.of("CMD-SHELL", "curl -f http://localhost/"), h.test());
        assertEquals(Duration.ofSeconds(5), h.interval());
        assertEquals(Duration.ofSeconds(90), h.timeout());
        assertEquals(Duration.ofSeconds(2), h.startPeriod());
        assertEquals(4, h.retries());
        assertEquals(List.of("CMD", "/bin/check", "-q"), ((Instruction.Healthcheck) b.get(1)).test());
        assertTrue(((Instruction.Healthcheck) b.get(2)).none());
        assertTrue(error("FROM x\nHEALTHCHECK --retries=-1 CMD a\n").detail().contains("negative"));
        assertTrue(error("FROM x\nHEALTHCHECK NONE extra\n").detail().contains("no arguments"));
        assertTrue(error("FROM x\nHEALTHCHECK RUN a\n").detail().contains("unknown type"));
        assertTrue(error("FROM x\nHEALTHCHECK --interval=soon CMD a\n").detail().contains("--interval"));
    }

    @Test
    void onbuildWarnsAndChecksItsTrigger() {
        Dockerfile df = parse("FROM x\nONBUILD RUN echo later\n");
        assertEquals("RUN echo later", ((Instruction.Onbuild) df.stages().get(0).instructions().get(0)).trigger());
        assertTrue(df.warnings().stream().anyMatch(w -> w.message().contains("ONBUILD") && w.line() == 2));
        assertTrue(error("FROM x\nONBUILD ONBUILD RUN a\n").detail().contains("chaining"));
        assertTrue(error("FROM x\nONBUILD FROM y\n").detail().contains("isn't allowed"));
        assertTrue(error("FROM x\nONBUILD FOO a\n").detail().contains("unknown instruction: FOO"));
    }

    @Test
    void structuralErrors() {
        DockerfileException unknown = error("FROM x\n\nRUNN echo\n");
        assertEquals("Dockerfile:3: unknown instruction: RUNN", unknown.getMessage());
        assertEquals("only ARG may come before the first FROM", error("RUN a\nFROM x\n").detail());
        assertTrue(error("# just a comment\n\n").detail().contains("no instructions"));
        assertTrue(error("ARG A=1\n").detail().contains("no FROM"));
        assertTrue(error("FROM x AS 1bad\n").detail().contains("invalid name for build stage"));
        assertTrue(error("FROM x AS a\nFROM y AS A\n").detail().contains("duplicate stage name"));
        assertTrue(error("FROM x y\n").detail().contains("FROM requires"));
    }
}
