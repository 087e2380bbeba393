package dev.hypr.api.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.codec.ManifestError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compose features end to end: files in a temporary project directory → the Stack. */
class ComposeTranslatorTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private ComposeResult translate(String compose) throws IOException {
        return ComposeTranslator.translate(ComposeRequest.of(write("compose.yaml", compose)).withProjectName("app"));
    }

    private static JsonNode service(ComposeResult result, String name) {
        assertEquals(List.of(), result.errors().stream().map(ManifestError::format).toList());
        for (JsonNode s : result.stack().at("/spec/services")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no service " + name + " in " + result.stack());
    }

    private static List<String> errors(ComposeResult result) {
        return result.errors().stream().map(e -> e.format().replaceFirst("^.*/", "")).toList();
    }

    private static List<String> warnings(ComposeResult result) {
        return result.warnings().stream().map(e -> e.format().replaceFirst("^.*/", "")).toList();
    }

    @Test
    void anchorsAndMergeKeysOwnKeysWinEarlierSourcesWin() throws IOException {
        ComposeResult r = translate("""
                x-base: &base
                  image: base:1
                  restart: always
                  environment: {A: "1"}
                x-other: &other
                  image: other:1
                  user: nobody
                services:
                  web:
                    <<: [*base, *other]
                    environment: {B: "2"}
                  db:
                    <<: *base
                    image: postgres:16
                """);
        JsonNode web = service(r, "web");
        assertEquals("base:1", web.path("image").asText());
        assertEquals("Always", web.path("restartPolicy").asText());
        assertEquals("nobody", web.path("user").asText());
        assertEquals("[{\"name\":\"B\",\"value\":\"2\"}]", web.path("env").toString());
        assertEquals("postgres:16", service(r, "db").path("image").asText());
    }

    @Test
    void interpolationFromDotEnvAndTheCallersEnvironment() throws IOException {
        write(".env", "TAG=1.25\nPORT=8080\nexport NAME=\"from dotenv\"\n");
        Path file = write("compose.yaml", """
                services:
                  web:
                    image: nginx:${TAG}
                    ports: ["${PORT}:80"]
                    environment:
                      NAME: ${NAME}
                      GREETING: ${GREETING:-hello}
                      LITERAL: $$HOME
                      MISSING: ${MISSING}
                """);
        ComposeResult r = ComposeTranslator.translate(ComposeRequest.of(file).withEnvironment(Map.of("PORT", "9090")));
        JsonNode web = service(r, "web");
        assertEquals("nginx:1.25", web.path("image").asText());
        assertEquals(9090, web.at("/ports/0/hostPort").asInt());
        assertEquals("[{\"name\":\"NAME\",\"value\":\"from dotenv\"},{\"name\":\"GREETING\",\"value\":\"hello\"},"
                + "{\"name\":\"LITERAL\",\"value\":\"$HOME\"},{\"name\":\"MISSING\",\"value\":\"\"}]", web.path("env").toString());
        assertEquals(List.of("compose.yaml:9:16: services.web.environment.MISSING: variable MISSING is not set; using an empty string"),
                warnings(r));
        assertEquals(Names.projectName(dir.getFileName().toString()), r.stack().at("/metadata/name").asText());
    }

    @Test
    void requiredVariableAndEnvFileFlags() throws IOException {
        Path file = write("compose.yaml", "services:\n  web:\n    image: \"nginx:${TAG:?set TAG}\"\n");
        ComposeResult r = ComposeTranslator.translate(ComposeRequest.of(file));
        assertEquals(List.of("compose.yaml:3:12: services.web.image: required variable TAG is missing a value: set TAG"), errors(r));
        assertTrue(r.objects().isEmpty());
        write("prod.env", "TAG=2\n");
        r = ComposeTranslator.translate(ComposeRequest.of(file).withEnvFiles(List.of(dir.resolve("prod.env"))));
        assertEquals("nginx:2", service(r, "web").path("image").asText());
    }

    @Test
    void profilesFromFlagsAndComposeProfiles() throws IOException {
        Path file = write("compose.yaml", """
                services:
                  web: {image: nginx}
                  debug: {image: busybox, profiles: [debug]}
                  tools: {image: alpine, profiles: [tools, debug]}
                """);
        ComposeResult none = ComposeTranslator.translate(ComposeRequest.of(file));
        assertEquals(1, service(none, "web").size() > 0 ? none.stack().at("/spec/services").size() : -1);
        ComposeResult debug = ComposeTranslator.translate(ComposeRequest.of(file).withProfiles(List.of("debug")));
        assertEquals(3, debug.stack().at("/spec/services").size());
        ComposeResult tools = ComposeTranslator.translate(ComposeRequest.of(file).withEnvironment(Map.of("COMPOSE_PROFILES", "tools")));
        assertEquals(2, tools.stack().at("/spec/services").size());
    }

    @Test
    void extendsSameFileAndOtherFileWithTheBaseFilesPaths() throws IOException {
        write("common/base.yaml", """
                services:
                  base:
                    image: app:1
                    env_file: base.env
                    environment: [A=1, B=2]
                    volumes: ["./conf:/etc/app:ro"]
                """);
        write("common/base.env", "FROM_FILE=yes\n");
        ComposeResult r = translate("""
                services:
                  web:
                    extends: {file: common/base.yaml, service: base}
                    environment: {B: "3"}
                    command: serve
                  worker:
                    extends: web
                    command: ["work", "--fast"]
                """);
        JsonNode worker = service(r, "worker");
        assertEquals("app:1", worker.path("image").asText());
        assertEquals("[\"work\",\"--fast\"]", worker.path("args").toString());
        assertEquals("[{\"name\":\"FROM_FILE\",\"value\":\"yes\"},{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"3\"}]",
                worker.path("env").toString());
        assertEquals(dir.resolve("common/conf").toString(), worker.at("/volumes/0/hostPath").asText());
        assertTrue(worker.at("/volumes/0/readOnly").asBoolean());
    }

    @Test
    void includeAddsResourcesAndRefusesRedefinition() throws IOException {
        write("db/compose.yaml", "services:\n  db: {image: postgres}\nvolumes:\n  data: {}\n");
        ComposeResult r = translate("include: [db/compose.yaml]\nservices:\n  web: {image: nginx, depends_on: [db]}\n");
        assertEquals("postgres", service(r, "db").path("image").asText());
        assertEquals("[\"db\"]", service(r, "web").path("dependsOn").toString());
        r = translate("include: [db/compose.yaml]\nservices:\n  db: {image: mysql}\n");
        assertTrue(r.errors().get(0).format().contains("compose.yaml:3:3: services.db: also defined by the included file"), r.errors().toString());
    }

    @Test
    void overrideFilesMergeByComposeRules() throws IOException {
        Path base = write("compose.yaml", """
                services:
                  web:
                    image: nginx
                    command: ["a", "b"]
                    ports: ["80:80"]
                    environment: [A=1, B=2]
                    labels: {x: "1"}
                """);
        Path override = write("compose.override.yaml", """
                services:
                  web:
                    command: c
                    ports: ["443:443"]
                    environment: {B: "3"}
                    labels: !reset {}
                """);
        ComposeResult r = ComposeTranslator.translate(new ComposeRequest(List.of(base, override), "p", List.of(), List.of(), Map.of(), null));
        JsonNode web = service(r, "web");
        assertEquals("[\"c\"]", web.path("args").toString());
        assertEquals(2, web.path("ports").size());
        assertEquals("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"3\"}]", web.path("env").toString());
        assertFalse(web.has("labels"));
    }

    @Test
    void serviceKeysTranslate() throws IOException {
        Path secret = write("db_password.txt", "s3cret-value");
        ComposeResult r = translate("""
                services:
                  Web_App:
                    image: app
                    entrypoint: /bin/app --flag "two words"
                    environment: [PLAIN=1, PASS_THROUGH]
                    ports:
                      - "127.0.0.1:8080:80"
                      - target: 443
                        published: "8443"
                        protocol: udp
                      - 9000
                    volumes:
                      - data:/data:nocopy
                      - /scratch
                      - {type: bind, source: ./site, target: /srv, read_only: true}
                    depends_on:
                      db: {condition: service_healthy, restart: true}
                      cache: {condition: service_started, required: false}
                    restart: on-failure:3
                    deploy: {replicas: 1, resources: {limits: {cpus: "1.5", memory: 1.5G}, reservations: {memory: 100M}}}
                    networks:
                      front: {aliases: [www]}
                    labels: [team=web, tier=front]
                    hostname: web
                    user: "1000:1000"
                    working_dir: /app
                    stop_signal: SIGQUIT
                    stop_grace_period: 1m30s
                    secrets: [db_password]
                    links: ["db:database"]
                    expose: ["3000"]
                    x-custom: ignored
                  db:
                    image: postgres
                    healthcheck:
                      test: ["CMD-SHELL", "pg_isready -U postgres"]
                      interval: 5s
                      start_period: 10s
                  cron:
                    image: alpine
                    command: ["crond", "-f"]
                    healthcheck: {disable: true}
                    deploy: {replicas: 3}
                    network_mode: none
                volumes:
                  data:
                networks:
                  front:
                    ipam: {config: [{subnet: 10.77.0.0/24}]}
                secrets:
                  db_password: {file: ./db_password.txt}
                """.replace("PASS_THROUGH", "HOME"));
        JsonNode web = service(r, "web-app");
        assertEquals("[\"/bin/app\",\"--flag\",\"two words\"]", web.path("command").toString());
        assertEquals(System.getenv("HOME") == null ? 1 : 1, web.path("env").size(), "HOME is not in the request's environment: left out");
        assertEquals("[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80,\"protocol\":\"TCP\"},"
                + "{\"hostPort\":8443,\"guestPort\":443,\"protocol\":\"UDP\"},{\"guestPort\":9000,\"protocol\":\"TCP\"}]", web.path("ports").toString());
        assertEquals("[{\"name\":\"data\",\"volumeRef\":\"data\",\"mountPath\":\"/data\",\"copyFromImage\":false},"
                + "{\"name\":\"web-app-scratch-2\",\"volumeRef\":\"web-app-scratch-2\",\"mountPath\":\"/scratch\"},"
                + "{\"name\":\"bind-3\",\"hostPath\":\"" + dir.resolve("site") + "\",\"mountPath\":\"/srv\",\"readOnly\":true}]",
                web.path("volumes").toString());
        assertEquals("[\"db\"]", web.path("dependsOn").toString(), "the optional missing cache is dropped");
        assertEquals("[{\"service\":\"db\",\"condition\":\"Healthy\",\"restart\":true}]", web.path("dependencies").toString());
        assertEquals("OnFailure", web.path("restartPolicy").asText());
        assertEquals(3, web.path("maxRestarts").asInt());
        assertEquals(2, web.path("cpus").asInt());
        assertEquals(1536, web.path("memoryMiB").asInt());
        assertEquals("[\"front\"]", web.path("networks").toString());
        assertEquals("[\"Web_App\",\"www\"]", web.path("aliases").toString());
        assertEquals("{\"team\":\"web\",\"tier\":\"front\"}", web.path("labels").toString());
        assertEquals("web|1000:1000|/app|SIGQUIT|90", web.path("hostname").asText() + "|" + web.path("user").asText() + "|"
                + web.path("workingDir").asText() + "|" + web.path("stopSignal").asText() + "|" + web.path("stopTimeoutSeconds").asInt());
        assertEquals("[{\"name\":\"db-password\",\"mountPath\":\"/run/secrets/db_password\",\"hostPath\":\"" + secret + "\"}]",
                web.path("secrets").toString());
        assertFalse(r.stack().toString().contains("s3cret-value"), "a secret's value never enters the object");
        JsonNode db = service(r, "db");
        assertEquals("[\"database\"]", db.path("aliases").toString());
        assertEquals("{\"exec\":{\"command\":[\"/bin/sh\",\"-c\",\"pg_isready -U postgres\"]},\"periodSeconds\":5,\"timeoutSeconds\":30,"
                + "\"failureThreshold\":3,\"startPeriodSeconds\":10}", db.path("healthcheck").toString());
        assertEquals("Never", db.path("restartPolicy").asText());
        JsonNode cron = service(r, "cron");
        assertFalse(cron.has("healthcheck"));
        assertEquals(3, cron.path("replicas").asInt());
        assertEquals("[]", cron.path("networks").toString());
        assertEquals("[{\"name\":\"front\",\"subnet\":\"10.77.0.0/24\"}]", r.stack().at("/spec/networks").toString());
        assertEquals("[{\"name\":\"data\"},{\"name\":\"web-app-scratch-2\",\"scratch\":true}]", r.stack().at("/spec/volumes").toString());
        assertEquals(List.of("compose.yaml:18:7: services.Web_App.depends_on.cache: optional dependency \"cache\" is not defined (or not enabled); ignored"),
                warnings(r));
        assertEquals(3, r.serviceHashes().size());
    }

    @Test
    void longFormSecretsAndConfigsKeepTargetOwnerAndMode() throws IOException {
        write("db.txt", "pw");
        write("nginx.conf", "events {}");
        ComposeResult r = translate("""
                services:
                  web:
                    image: nginx
                    stop_signal: QUIT
                    secrets:
                      - {source: db, target: /etc/app/db.pw, uid: "0", gid: "101", mode: 0440}
                      - db
                    configs:
                      - {source: site, target: /etc/nginx/nginx.conf, mode: "0644"}
                      - {source: motd, uid: "1000"}
                secrets:
                  db: {file: ./db.txt}
                configs:
                  site: {file: ./nginx.conf}
                  motd: {content: "hello"}
                """);
        JsonNode web = service(r, "web");
        assertEquals("SIGQUIT", web.path("stopSignal").asText());
        assertEquals("[{\"name\":\"db\",\"mountPath\":\"/etc/app/db.pw\",\"hostPath\":\"" + dir.resolve("db.txt")
                + "\",\"uid\":0,\"gid\":101,\"mode\":\"0440\"},{\"name\":\"db-2\",\"mountPath\":\"/run/secrets/db\",\"hostPath\":\""
                + dir.resolve("db.txt") + "\"}]", web.path("secrets").toString());
        assertEquals("[{\"name\":\"site\",\"mountPath\":\"/etc/nginx/nginx.conf\",\"hostPath\":\"" + dir.resolve("nginx.conf")
                + "\",\"mode\":\"0644\"},{\"name\":\"motd\",\"mountPath\":\"/motd\",\"content\":\"hello\",\"uid\":1000}]",
                web.path("configs").toString());
        assertEquals(List.of(), warnings(r), "uid, gid and mode are honoured, not warned about");

        ComposeResult bad = translate("""
                services:
                  web:
                    image: nginx
                    stop_signal: SIGNOPE
                    secrets: [{source: db, uid: root, mode: "0999"}]
                secrets:
                  db: {file: ./db.txt}
                """);
        assertEquals(List.of("compose.yaml:4:18: services.web.stop_signal: unknown signal \"SIGNOPE\" (a name such as SIGQUIT, or a number)",
                "compose.yaml:5:33: services.web.secrets[0].uid: uid is a number (a user or group id), not \"root\"",
                "compose.yaml:5:45: services.web.secrets[0].mode: mode is permission bits in octal, e.g. 0440 (setuid, setgid and sticky bits are not supported)"),
                errors(bad));
    }

    @Test
    void unsupportedAndInvalidInputIsAPositionedError() throws IOException {
        ComposeResult r = translate("""
                services:
                  web:
                    image: nginx
                    prots: ["80:80"]
                    network_mode: host
                    ports: ["80:80"]
                    deploy: {replicas: 2, resources: {reservations: {devices: [{capabilities: [gpu]}]}}}
                    volumes: [undeclared:/data]
                    depends_on: [ghost, worker]
                  worker:
                    image: w
                    depends_on: [web]
                  nothing: {}
                """);
        assertEquals(List.of(
                "compose.yaml:4:5: services.web.prots: unknown service key \"prots\"",
                "compose.yaml:5:19: services.web.network_mode: network_mode \"host\" cannot be honoured: a VM has its own network stack "
                        + "and cannot share the host's or another VM's",
                "compose.yaml:6:13: services.web.ports[0]: host port 80 can be bound by one VM only, but the service has 2 replicas "
                        + "(publish an ephemeral port: \"80\")",
                "compose.yaml:7:64: services.web.deploy.resources.reservations.devices: GPU devices cannot be given to a microVM",
                "compose.yaml:8:15: services.web.volumes[0]: named volume \"undeclared\" is not declared under the top-level volumes:",
                "compose.yaml:9:18: services.web.depends_on.ghost: depends on service \"ghost\", which is not defined (or not enabled by a profile)",
                "compose.yaml:12:18: services.worker.depends_on.web: dependency cycle: web -> worker -> web",
                "compose.yaml:13:12: services.nothing: service \"nothing\" has neither image nor build"), errors(r));
    }

    @Test
    void buildReferenceCarriesInlineDockerfileAndPullPolicyBuild() throws IOException {
        ComposeResult r = translate("""
                services:
                  web:
                    build:
                      context: ./web
                      dockerfile_inline: |
                        FROM scratch
                      args: [GREETING=hi, FROM_ENV]
                    pull_policy: build
                  api:
                    image: registry.test/api:1
                    pull_policy: always
                """);
        JsonNode build = service(r, "web").path("build");
        assertEquals("FROM scratch\n", build.path("dockerfileInline").asText());
        assertTrue(build.path("always").asBoolean(), build.toString());
        assertEquals("hi", build.at("/args/0/value").asText());
        assertTrue(build.at("/args/1").has("name") && !build.at("/args/1").has("value"), "no value: taken from the environment");
        assertEquals("app-web", service(r, "web").path("image").asText(), "<project>-<service>");
        assertTrue(warnings(r).contains("compose.yaml:11:5: services.api.pull_policy: pull_policy always has no effect here "
                + "(images are pulled when missing; `build` applies to services with build:)"), warnings(r).toString());

        ComposeResult both = translate("""
                services:
                  web:
                    build: {context: ., dockerfile: Dockerfile, dockerfile_inline: "FROM scratch"}
                """);
        assertEquals(List.of("compose.yaml:3:49: services.web.build.dockerfile_inline: dockerfile and dockerfile_inline are mutually exclusive"),
                errors(both));
    }

    @Test
    void keysWithoutEffectWarnAtTheirPosition() throws IOException {
        ComposeResult r = translate("""
                version: "3.8"
                services:
                  web:
                    image: nginx
                    cap_add: [NET_ADMIN]
                    build: ./web
                    logging: {driver: json-file}
                    tty: true
                """);
        assertEquals(List.of(
                "compose.yaml:1:1: version: version has no effect here (obsolete: ignored, with a warning, as compose does)",
                "compose.yaml:5:5: services.web.cap_add: cap_add has no effect here",
                "compose.yaml:6:5: services.web.build: the image is built from source: `compose up` builds it when missing "
                        + "(`--build`, `pull_policy: build`: always)",
                "compose.yaml:7:5: services.web.logging: logging has no effect here (the guest agent captures output)",
                "compose.yaml:8:5: services.web.tty: tty has no effect here"), warnings(r));
        assertEquals(dir.resolve("web").toString(), service(r, "web").at("/build/context").asText());
    }

    @Test
    void projectNamePrecedence() throws IOException {
        Path file = write("compose.yaml", "name: From_File\nservices:\n  web: {image: nginx}\n");
        assertEquals("from-file", ComposeTranslator.translate(ComposeRequest.of(file)).stack().at("/metadata/name").asText());
        assertEquals("env", ComposeTranslator.translate(ComposeRequest.of(file).withEnvironment(Map.of("COMPOSE_PROJECT_NAME", "env")))
                .stack().at("/metadata/name").asText());
        assertEquals("flag", ComposeTranslator.translate(ComposeRequest.of(file).withProjectName("flag")
                .withEnvironment(Map.of("COMPOSE_PROJECT_NAME", "env"))).stack().at("/metadata/name").asText());
        assertEquals(List.of("compose.yaml:1:1: name: project name \"_-!\" (from -p) has no letter or digit; give one with -p"),
                errors(ComposeTranslator.translate(ComposeRequest.of(file).withProjectName("_-!"))));
    }

    @Test
    void serviceHashChangesOnlyWithTheService() throws IOException {
        ComposeResult a = translate("services:\n  web: {image: nginx, environment: {A: '1'}}\n  db: {image: postgres}\n");
        ComposeResult b = translate("services:\n  web: {image: nginx, environment: {A: '2'}}\n  db: {image: postgres}\n");
        assertNotEquals(a.serviceHashes().get("web"), b.serviceHashes().get("web"));
        assertEquals(a.serviceHashes().get("db"), b.serviceHashes().get("db"));
    }

    @Test
    void yamlErrorsAndAliasBombsArePositioned() throws IOException {
        assertEquals(List.of("compose.yaml:3:5: duplicate key \"image\" (first at line 2)"),
                errors(translate("services:\n  web: {image: a,\n    image: b}\n")).stream().map(s -> s.replace("  web: ", "")).toList());
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
                    .append(", *").append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p)
                    .append(", *").append(p).append(", *").append(p).append("]\n");
        }
        assertTrue(errors(translate("x-bomb:\n  " + bomb.toString().replace("\n", "\n  ") + "\nservices: {web: {image: a}}\n")).get(0)
                .contains("too many aliases"));
    }

    @Test
    void bindCreateHostPathBecomesCreateHostPathAndPropagationIsAWarning() throws IOException {
        ComposeResult r = translate("""
                services:
                  app:
                    image: alpine
                    volumes:
                      - {type: bind, source: ./must-exist, target: /a, bind: {create_host_path: false}}
                      - {type: bind, source: ./made, target: /b, bind: {create_host_path: true, propagation: rshared}}
                      - {type: bind, source: ./plain, target: /c}
                """);
        JsonNode volumes = service(r, "app").path("volumes");
        assertEquals(false, volumes.at("/0/createHostPath").asBoolean(true));
        assertEquals(true, volumes.at("/1/createHostPath").asBoolean(false));
        assertFalse(volumes.get(2).has("createHostPath"), "not written: the VM's default (create it, as compose does)");
        assertEquals(List.of("compose.yaml:6:81: services.app.volumes[1].bind.propagation: bind propagation has no effect in a VM"),
                warnings(r));

        ComposeResult bad = translate("""
                services:
                  app:
                    image: alpine
                    volumes:
                      - {type: bind, source: ./x, target: /x, bind: {create_host_path: maybe, typo: 1}}
                """);
        assertEquals(2, bad.errors().size(), errors(bad).toString());
    }
}
