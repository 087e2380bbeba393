package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.DeleteRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyprctl compose} against a fake hyprd: what is sent, what is printed, what is refused. */
class ComposeCommandTest {
    private static final String TWO_SERVICES = """
            services:
              web:
                image: nginx:1.27
                ports: ["8080:80"]
                depends_on: [db]
              db:
                image: postgres:16
                volumes: [pgdata:/var/lib/postgresql/data]
            volumes:
              pgdata:
            """;

    private final CliHarness cli;

    @TempDir
    Path tmp;

    ComposeCommandTest() throws Exception {
        cli = new CliHarness();
    }

    @AfterEach
    void close() {
        cli.close();
    }

    private Path project(String dirName, String file, String content) throws Exception {
        Path dir = tmp.resolve(dirName);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content);
        return dir;
    }

    private JsonNode appliedStack() {
        List<ApplyRequest> applies = cli.hypr.requestsOf(ApplyRequest.class);
        assertEquals(1, applies.size(), "one Apply RPC");
        assertEquals(1, applies.get(0).getObjectsCount());
        return Json.parseObject(applies.get(0).getObjects(0).getJson());
    }

    @Test
    void convertPrintsTheStackAndTheProjectFlagsWorkOnEitherSideOfTheCommand() throws Exception {
        Path dir = project("My_Shop", "compose.yaml", TWO_SERVICES);
        CliHarness.Result before = cli.run("compose", "--project-directory", dir.toString(), "convert");
        CliHarness.Result after = cli.run("compose", "convert", "--project-directory", dir.toString());
        assertEquals(0, before.code(), before.err());
        assertEquals(before.out(), after.out());
        assertTrue(before.out().startsWith("apiVersion: hypr.dev/v1alpha1\nkind: Stack\nmetadata:\n  name: my-shop\n"),
                before.out());
        CliHarness.Result named = cli.run("compose", "-f", dir.resolve("compose.yaml").toString(), "convert", "-p", "Other");
        assertTrue(named.out().contains("  name: other\n"), named.out());
        assertTrue(cli.hypr.requests.isEmpty(), "convert needs no daemon");
    }

    @Test
    void configPrintsTheResolvedModelWithInterpolationAndProfiles() throws Exception {
        Path dir = project("cfg", "compose.yaml", """
                name: ${STACK:-fallback}
                services:
                  web:
                    image: "nginx:${TAG}"
                  debug:
                    image: busybox
                    profiles: [debug]
                """);
        Files.writeString(dir.resolve(".env"), "TAG=1.27\n");
        CliHarness.Result r = cli.run("compose", "config", "--project-directory", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("name: fallback\nservices:\n  web:\n    image: nginx:1.27\n"), r.out());
        assertFalse(r.out().contains("debug"), r.out());
        r = cli.run("compose", "--profile", "debug", "config", "--services", "--project-directory", dir.toString());
        assertEquals("web\ndebug\n", r.out());
    }

    @Test
    void discoveryPrefersComposeYamlThenTheOriginalsNames() throws Exception {
        Path dir = project("disc", "Hyprfile", "services:\n  old:\n    image: busybox\n");
        assertEquals("old\n", cli.run("compose", "config", "--services", "--project-directory", dir.toString()).out());
        Files.writeString(dir.resolve("docker-compose.yml"), "services:\n  dc:\n    image: busybox\n");
        assertEquals("dc\n", cli.run("compose", "config", "--services", "--project-directory", dir.toString()).out());
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  new:\n    image: busybox\n");
        Files.writeString(dir.resolve("compose.override.yaml"), "services:\n  extra:\n    image: busybox\n");
        assertEquals("new\nextra\n", cli.run("compose", "config", "--services", "--project-directory", dir.toString()).out());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliHarness.Result none = cli.run("compose", "ps", "--project-directory", empty.toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains("no compose file in " + empty + " (looked for compose.yaml, compose.yml,"
                + " docker-compose.yaml, docker-compose.yml, hypr-compose.yml, Hyprfile)"), none.err());
    }

    @Test
    void projectNameComesFromDashPThenTheEnvironmentThenNameThenTheDirectory() throws Exception {
        Path dir = project("Dir.Name", "compose.yaml", "services:\n  web:\n    image: busybox\n");
        String flag = "--project-directory=" + dir;
        assertTrue(cli.run("compose", "convert", flag).out().contains("  name: dirname\n"));
        Files.writeString(dir.resolve("compose.yaml"), "name: from-file\nservices:\n  web:\n    image: busybox\n");
        assertTrue(cli.run("compose", "convert", flag).out().contains("  name: from-file\n"));
        cli.env.put("COMPOSE_PROJECT_NAME", "from_env");
        assertTrue(cli.run("compose", "convert", flag).out().contains("  name: from-env\n"));
        assertTrue(cli.run("compose", "-p", "Flag", "convert", flag).out().contains("  name: flag\n"));
    }

    @Test
    void upWithAnErrorPrintsFileLineAndColumnAndCreatesNothing() throws Exception {
        Path dir = project("bad", "compose.yaml", "services:\n  web:\n    image: nginx\n    portz: [80]\n    version_x: 1\n");
        CliHarness.Result r = cli.run("compose", "up", "-d", "--project-directory", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error: " + dir.resolve("compose.yaml") + ":4:5: services.web.portz: "), r.err());
        assertTrue(r.err().contains(":5:5: services.web.version_x: "), r.err());
        assertTrue(r.err().contains("nothing was created"), r.err());
        assertTrue(cli.hypr.requests.isEmpty(), "nothing reached hyprd: " + cli.hypr.requests);
    }

    @Test
    void upBuildsMissingImagesFirstAndNoBuildRefusesBeforeCreatingAnything() throws Exception {
        Path dir = project("b", "compose.yaml", """
                services:
                  api:
                    build: ./api
                  web:
                    image: nginx
                  worker:
                    build:
                      context: ./worker
                """);
        CliHarness.Result noBuild = cli.run("compose", "up", "-d", "--no-build", "--project-directory", dir.toString());
        assertEquals(1, noBuild.code());
        assertTrue(noBuild.err().contains("service api: image b-api is missing and --no-build forbids building it"), noBuild.err());
        assertTrue(cli.hypr.requestsOf(ApplyRequest.class).isEmpty(), "nothing was applied");

        CliHarness.Result up = cli.run("compose", "up", "-d", "--project-directory", dir.toString());
        assertEquals(1, up.code());
        assertTrue(up.out().contains("building service api (image b-api)"), up.out());
        assertTrue(up.err().contains("service api: build context " + dir.resolve("api") + " is not a directory"), up.err());
        assertTrue(cli.hypr.requestsOf(ApplyRequest.class).isEmpty(), "nothing was applied");

        CliHarness.Result both = cli.run("compose", "up", "-d", "--build", "--no-build", "--project-directory", dir.toString());
        assertEquals(2, both.code());
        String file = dir.resolve("compose.yaml").toString();
        CliHarness.Result convert = cli.run("compose", "convert", "--project-directory", dir.toString());
        assertEquals(0, convert.code());
        assertTrue(convert.err().contains("warning: " + file + ":3:5: services.api.build: "), convert.err());
    }

    @Test
    void upDetachedAppliesOneStackWithScaleAndReturns() throws Exception {
        Path dir = project("shop", "compose.yaml", TWO_SERVICES.replace("ports: [\"8080:80\"]", "ports: [\"80\"]"));
        CliHarness.Result r = cli.run("compose", "up", "-d", "--scale", "web=3", "--project-directory", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("stack/shop created\n", r.out());
        JsonNode stack = appliedStack();
        assertEquals("Stack", stack.path("kind").asText());
        assertEquals(3, stack.path("spec").path("services").get(0).path("replicas").asInt());
        assertFalse(stack.path("metadata").has("annotations"), "no restart asked for");

        CliHarness.Result bad = cli.run("compose", "up", "-d", "--scale", "nope=2", "--project-directory", dir.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("no service nope"), bad.err());
    }

    @Test
    void forceRecreateAndRestartSetTheRestartAnnotationAndUpKeepsIt() throws Exception {
        Path dir = project("rs", "compose.yaml", TWO_SERVICES);
        String pd = "--project-directory=" + dir;
        assertEquals(0, cli.run("compose", "up", "-d", pd).code());
        CliHarness.Result restart = cli.run("compose", "restart", "db", pd);
        assertEquals(0, restart.code(), restart.err());
        assertEquals("service db restart requested\n", restart.out());
        JsonNode stored = cli.hypr.objects.get("Stack/rs");
        assertEquals(cli.now.toString(), stored.path("metadata").path("annotations").path("restart.hypr.dev/db").asText());
        assertFalse(stored.path("metadata").path("annotations").has("restart.hypr.dev/web"));

        // a plain re-up keeps the restart asked for (else the controller would see it vanish)
        assertEquals(0, cli.run("compose", "up", "-d", pd).code());
        stored = cli.hypr.objects.get("Stack/rs");
        assertEquals(cli.now.toString(), stored.path("metadata").path("annotations").path("restart.hypr.dev/db").asText());

        cli.now = cli.now.plusSeconds(60);
        assertEquals(0, cli.run("compose", "up", "-d", "--force-recreate", pd).code());
        JsonNode annotations = cli.hypr.objects.get("Stack/rs").path("metadata").path("annotations");
        assertEquals(cli.now.toString(), annotations.path("restart.hypr.dev/web").asText());
        assertEquals(cli.now.toString(), annotations.path("restart.hypr.dev/db").asText());
    }

    @Test
    void environmentSecretsBecomePrivateFilesAndNeverTheObject() throws Exception {
        Path dir = project("sec", "compose.yaml", """
                services:
                  app:
                    image: busybox
                    secrets: [token]
                secrets:
                  token:
                    environment: API_TOKEN
                """);
        cli.env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
        CliHarness.Result unset = cli.run("compose", "up", "-d", "--project-directory", dir.toString());
        assertEquals(1, unset.code());
        assertTrue(unset.err().contains("API_TOKEN, which is not set; nothing was created"), unset.err());
        assertTrue(cli.hypr.requestsOf(ApplyRequest.class).isEmpty());

        cli.env.put("API_TOKEN", "s3cret-value");
        assertEquals(0, cli.run("compose", "up", "-d", "--project-directory", dir.toString()).code());
        JsonNode secret = appliedStack().path("spec").path("services").get(0).path("secrets").get(0);
        assertFalse(Json.write(appliedStack()).contains("s3cret-value"));
        Path file = Path.of(secret.path("hostPath").asText());
        assertEquals(tmp.resolve("state/hypr/compose/sec/secrets/token"), file);
        assertEquals("s3cret-value", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

        assertEquals(0, cli.run("compose", "down", "--project-directory", dir.toString()).code());
        assertFalse(Files.exists(tmp.resolve("state/hypr/compose/sec")), "down removes the secret files");
    }

    @Test
    void upWaitsForEveryServiceAndShowsALinePerNetworkVolumeAndService() throws Exception {
        Path dir = project("live", "compose.yaml", TWO_SERVICES);
        CompletableFuture<CliHarness.Result> up = CompletableFuture.supplyAsync(
                () -> cli.run("compose", "up", "--wait-timeout", "2m", "--project-directory", dir.toString()));
        ObjectNode stack = awaitStack("live");
        putStatus(stack, """
                {"observedGeneration": 1, "phase": "Progressing", "services": [
                  {"name": "web", "phase": "Waiting", "waitingFor": "db to be Started"},
                  {"name": "db", "phase": "Starting", "replicas": 1, "ready": 0}]}""");
        putStatus(stack, """
                {"observedGeneration": 1, "phase": "Running", "services": [
                  {"name": "web", "phase": "Running", "replicas": 1, "ready": 1},
                  {"name": "db", "phase": "Running", "replicas": 1, "ready": 1, "health": "Healthy"}]}""");
        CliHarness.Result r = up.get();
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" network default creating\n"), r.out());
        assertTrue(r.out().contains(" volume pgdata creating\n"), r.out());
        assertTrue(r.out().contains(" service web waiting for db to be Started\n"), r.out());
        assertTrue(r.out().contains(" service db starting 0/1\n"), r.out());
        assertTrue(r.out().contains(" service db running (healthy) 1/1\n"), r.out());
    }

    @Test
    void upExitsNonZeroNamingTheServiceThatFailed() throws Exception {
        Path dir = project("fail", "compose.yaml", TWO_SERVICES);
        CompletableFuture<CliHarness.Result> up = CompletableFuture.supplyAsync(
                () -> cli.run("compose", "up", "--wait-timeout", "2m", "--project-directory", dir.toString()));
        ObjectNode stack = awaitStack("fail");
        putStatus(stack, """
                {"observedGeneration": 1, "phase": "Degraded", "services": [
                  {"name": "web", "phase": "Failed", "lastError": "dependency db failed"},
                  {"name": "db", "phase": "Failed", "lastError": "image postgres:16: not found"}]}""");
        CliHarness.Result r = up.get();
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error: service web: dependency db failed; service db: image postgres:16: not found"),
                r.err());
    }

    @Test
    void psListsTheStacksVmsWithServiceStatusHealthAndPorts() throws Exception {
        Path dir = project("ps", "compose.yaml", TWO_SERVICES);
        cli.hypr.put(vm("ps-web-1", "ps", "web", """
                "status": {"phase": "Running", "health": {"status": "Healthy"},
                  "forwards": [{"hostIP": "0.0.0.0", "hostPort": 8080, "target": "10.0.0.2:80", "protocol": "TCP"}]}"""));
        cli.hypr.put(vm("ps-db-1", "ps", "db", """
                "status": {"phase": "Failed", "lastExitCode": 3, "restartCount": 2}"""));
        cli.hypr.put(vm("other-web-1", "other", "web", "\"status\": {}"));
        CliHarness.Result r = cli.run("compose", "ps", "--project-directory", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                NAME       SERVICE   IMAGE         STATUS                          HEALTH    PORTS
                ps-db-1    db        postgres:16   Failed (exit 3), restarted 2x
                ps-web-1   web       nginx:1.27    Running                         healthy   0.0.0.0:8080->10.0.0.2:80/tcp
                """, r.out());
        assertEquals("ps-web-1\n", cli.run("compose", "ps", "-q", "web", "-p", "ps").out());
    }

    @Test
    void logsPrefixesEachLineWithItsVmAndTheFileFlagIsLongOnly() throws Exception {
        Path dir = project("lg", "compose.yaml", TWO_SERVICES);
        cli.hypr.put(vm("lg-web-1", "lg", "web", "\"status\": {}"));
        cli.hypr.put(vm("lg-db-1", "lg", "db", "\"status\": {}"));
        cli.hypr.logChunks.put("lg-web-1", List.of("GET /\nGE", "T /x\npartial"));
        cli.hypr.logChunks.put("lg-db-1", List.of("ready\n"));
        CliHarness.Result r = cli.run("compose", "logs", "--file", dir.resolve("compose.yaml").toString(), "-f", "--tail", "5");
        assertEquals(0, r.code(), r.err());
        List<String> lines = List.of(new String(capturedStdout(r)).split("\n"));
        assertTrue(lines.contains("lg-web-1 | GET /"), lines.toString());
        assertTrue(lines.contains("lg-web-1 | GET /x"), lines.toString());
        assertTrue(lines.contains("lg-web-1 | partial"), lines.toString());
        assertTrue(lines.contains("lg-db-1  | ready"), lines.toString());
        dev.hypr.api.grpc.LogsRequest sent = cli.hypr.requestsOf(dev.hypr.api.grpc.LogsRequest.class).get(0);
        assertTrue(sent.getFollow());
        assertEquals(5, sent.getTailLines());

        CliHarness.Result only = cli.run("compose", "-p", "lg", "logs", "db", "--no-log-prefix");
        assertEquals("ready\n", new String(capturedStdout(only)));
    }

    @Test
    void downDeletesTheStackAndOnlyWithDashVItsNamedVolumes() throws Exception {
        Path dir = project("dn", "compose.yaml", TWO_SERVICES);
        String pd = "--project-directory=" + dir;
        cli.hypr.put("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Stack\",\"metadata\":{\"name\":\"dn\"},\"spec\":{}}");
        cli.hypr.put(volume("dn-pgdata", "dn", "named"));
        cli.hypr.put(volume("other-pgdata", "other", "named"));
        CliHarness.Result r = cli.run("compose", "down", pd);
        assertEquals(0, r.code(), r.err());
        assertEquals("stack/dn deleted\n", r.out());
        assertTrue(cli.hypr.objects.containsKey("Volume/dn-pgdata"), "down keeps named volumes");

        cli.hypr.put("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Stack\",\"metadata\":{\"name\":\"dn\"},\"spec\":{}}");
        r = cli.run("compose", "down", "-v", pd);
        assertEquals(0, r.code(), r.err());
        assertEquals("stack/dn deleted\nvolume/dn-pgdata deleted\n", r.out());
        assertFalse(cli.hypr.objects.containsKey("Volume/dn-pgdata"));
        assertTrue(cli.hypr.objects.containsKey("Volume/other-pgdata"), "another stack's volume stays");
        List<DeleteRequest> deletes = cli.hypr.requestsOf(DeleteRequest.class);
        assertEquals("Stack", deletes.get(deletes.size() - 2).getKind(), "the Stack goes before its volumes");
    }

    // --- helpers

    /** The applied Stack, once {@code up} watches it (the fake replays nothing to a watch that resumes). */
    private ObjectNode awaitStack(String name) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < end) {
            ObjectNode s = cli.hypr.objects.get("Stack/" + name);
            if (s != null && !cli.hypr.watchers.isEmpty()) {
                return s.deepCopy();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("stack/" + name + " was never applied");
    }

    /** What a controller would do: write status (with the generation the store gives a new object). */
    private void putStatus(ObjectNode stack, String status) {
        ObjectNode copy = stack.deepCopy();
        ((ObjectNode) copy.path("metadata")).put("generation", 1);
        copy.set("status", Json.parseObject(status));
        cli.hypr.put(Json.write(copy));
    }

    private static String vm(String name, String stack, String service, String status) {
        String image = service.equals("web") ? "nginx:1.27" : "postgres:16";
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"hypr.dev/stack\":\"" + stack + "\",\"hypr.dev/service\":\"" + service
                + "\"}},\"spec\":{\"image\":\"" + image + "\"}," + status + "}";
    }

    private static String volume(String name, String stack, String kind) {
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Volume\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"hypr.dev/stack\":\"" + stack + "\",\"hypr.dev/volume-kind\":\"" + kind
                + "\"}},\"spec\":{\"sizeMiB\":64}}";
    }

    private static byte[] capturedStdout(CliHarness.Result r) {
        return r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
