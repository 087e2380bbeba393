package dev.hypr.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.ManifestReader;
import dev.hypr.api.codec.ReadResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectValidatorTest {
    private static final ObjectValidator VALIDATOR = ObjectValidator.standard();
    private static final String HEADER = "apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: web\n";

    static List<Manifest> read(String yaml) {
        ReadResult r = ManifestReader.read("f.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertTrue(r.ok(), () -> r.errors().toString());
        return r.manifests();
    }

    static List<String> errors(String yaml) {
        return VALIDATOR.validateAll(read(yaml)).stream().map(ManifestError::format).toList();
    }

    static List<String> vm(String spec) {
        return errors(HEADER + "spec:\n" + spec);
    }

    @Test
    void validVmGetsDefaultsFilledIn() {
        Manifest m = read(HEADER + "spec:\n  image: nginx\n  ports:\n    - guestPort: 80\n      hostPort: 8080\n").get(0);
        assertEquals(List.of(), VALIDATOR.validate(m));
        assertEquals(1, m.object().at("/spec/cpus").asInt());
        assertEquals(256, m.object().at("/spec/memoryMiB").asInt());
        assertEquals("Always", m.object().at("/spec/restartPolicy").asText());
        assertTrue(m.object().at("/spec/network").isMissingNode(), "no network means the default Network, and leaves room for networks");
        assertEquals("TCP", m.object().at("/spec/ports/0/protocol").asText(), "defaults inside list items");
        assertEquals("0.0.0.0", m.object().at("/spec/ports/0/hostIP").asText());
        assertTrue(m.object().at("/spec/healthcheck").isMissingNode(), "optional objects are not invented");
    }

    @Test
    void networksAreBridgedNicsAndExcludeNetwork() {
        assertEquals(List.of(), vm("  image: nginx\n  networks:\n    - name: front\n    - name: back\n      aliases: [db]\n"));
        assertEquals(List.of(), vm("  image: nginx\n  network: user\n"), "the shorthand stays valid");
        assertEquals(List.of("f.yaml:8:3: VM/web: spec.networks: set either network or networks, not both"),
                vm("  image: nginx\n  network: front\n  networks:\n    - name: back\n"));
        assertEquals(List.of("f.yaml:9:13: VM/web: spec.networks[1].name: user is not a Network: use network: user (alone) for user-mode networking"),
                vm("  image: nginx\n  networks:\n    - name: front\n    - name: user\n"));
        assertEquals(1, vm("  image: nginx\n  networks:\n    - name: front\n    - name: front\n").size(), "one NIC per network");
        assertEquals(1, vm("  image: nginx\n  networks: []\n").size(), "an empty list is no shorthand for none");
    }

    @Test
    void hostnameIsADnsLabel() {
        assertEquals(List.of(), vm("  image: nginx\n  hostname: db-1\n"));
        assertEquals(List.of("f.yaml:7:13: VM/web: spec.hostname: must match ^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$"),
                vm("  image: nginx\n  hostname: db_1\n"));
        assertEquals(List.of("f.yaml:7:13: VM/web: spec.hostname: must be at most 63 characters long"),
                vm("  image: nginx\n  hostname: " + "a".repeat(64) + "\n"));
    }

    @Test
    void invalidObjectIsLeftUntouched() {
        Manifest m = read(HEADER + "spec:\n  image: nginx\n  cpus: 0\n").get(0);
        assertEquals(1, VALIDATOR.validate(m).size());
        assertTrue(m.object().at("/spec/memoryMiB").isMissingNode());
    }

    @Test
    void wrongTypeIsReportedAtTheValue() {
        assertEquals(List.of("f.yaml:7:9: VM/web: spec.cpus: must be an integer, not a string"),
                vm("  image: nginx\n  cpus: \"two\"\n"));
    }

    @Test
    void outOfRangeValueInAListItem() {
        assertEquals(List.of("f.yaml:8:33: VM/web: spec.ports[0].hostPort: must be at most 65535"),
                vm("  image: nginx\n  ports:\n    - {guestPort: 80, hostPort: 99999}\n"));
    }

    @Test
    void unknownFieldIsReportedAtItsKey() {
        assertEquals(List.of("f.yaml:9:7: VM/web: spec.ports[0].foo: unknown field \"foo\""),
                vm("  image: nginx\n  ports:\n    - guestPort: 80\n    foo: 1\n".replace("    foo", "      foo")));
    }

    @Test
    void unknownTopLevelAndMetadataFields() {
        assertEquals(List.of("f.yaml:4:3: VM/web: metadata.nmae: unknown field \"nmae\"",
                        "f.yaml:7:1: VM/web: sepc: unknown field \"sepc\""),
                errors("apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  nmae: x\n  name: web\nspec: {image: a}\nsepc: {}\n"));
    }

    @Test
    void missingRequiredFieldAndEnum() {
        assertEquals(List.of("f.yaml:6:18: VM/web: spec.restartPolicy: must be one of Always, OnFailure, Never, not \"always\"",
                        "f.yaml:8:7: VM/web: spec.ports[0].guestPort: required field is missing"),
                vm("  restartPolicy: always\n  ports:\n    - hostPort: 80\n  image: x\n"));
    }

    @Test
    void absurdAndNegativeSizes() {
        assertEquals(List.of("f.yaml:6:14: VM/web: spec.memoryMiB: must be at most 262144"),
                vm("  memoryMiB: 99999999999\n  image: x\n"));
        assertEquals(List.of("f.yaml:6:12: Volume/data: spec.sizeMiB: must be at least 1"),
                errors("apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: data\nspec:\n  sizeMiB: -5\n"));
    }

    @Test
    void exactlyOneOfImageAndRootfs() {
        assertEquals(List.of("f.yaml:6:3: VM/web: spec: one of image or rootfs is required"), vm("  cpus: 2\n"));
        assertEquals(List.of("f.yaml:7:3: VM/web: spec.rootfs: set either image or rootfs, not both"),
                vm("  image: a\n  rootfs: /b\n"));
    }

    @Test
    void volumeMountPathsAreAbsoluteNotRootAndUnique() {
        assertEquals(List.of("f.yaml:7:48: VM/web: spec.volumes[0].mountPath: must be an absolute path"),
                vm("  image: a\n  volumes: [{name: d, volumeRef: d, mountPath: data}]\n"));
        assertEquals(List.of("f.yaml:7:48: VM/web: spec.volumes[0].mountPath: cannot be / (the root filesystem is the image;"
                        + " mount the volume at a directory)"),
                vm("  image: a\n  volumes: [{name: d, volumeRef: d, mountPath: //}]\n"));
        assertEquals(List.of("f.yaml:7:48: VM/web: spec.volumes[0].mountPath: must not contain \"..\" components"
                        + " (write the path it means)"),
                vm("  image: a\n  volumes: [{name: d, volumeRef: d, mountPath: /data/../etc}]\n"));
        assertEquals(List.of("f.yaml:9:42: VM/web: spec.volumes[1].mountPath: \"/data/\" is already the mountPath of"
                        + " spec.volumes[0] (one volume per path)"),
                vm("  image: a\n  volumes:\n  - {name: d, volumeRef: d, mountPath: /data}\n"
                        + "  - {name: e, hostPath: /srv, mountPath: /data/}\n"));
        assertEquals(List.of(), vm("  image: a\n  volumes:\n  - {name: d, volumeRef: d, mountPath: /data}\n"
                + "  - {name: e, volumeRef: d, mountPath: /data/sub, readOnly: true, copyFromImage: false}\n"));
    }

    @Test
    void probePortsByNameMustNameAPort() {
        assertEquals(List.of(), vm("  image: a\n  ports: [{name: http, guestPort: 8080}]\n"
                + "  healthcheck: {httpGet: {port: http}, successThreshold: 2}\n"));
        assertEquals(List.of("f.yaml:8:35: VM/web: spec.healthcheck.tcpSocket.port: no port named \"htp\" in spec.ports (named: http)"),
                vm("  image: a\n  ports: [{name: http, guestPort: 8080}]\n  healthcheck: {tcpSocket: {port: htp}}\n"));
        assertEquals(List.of("f.yaml:7:33: VM/web: spec.healthcheck.httpGet.port: no port named \"web\" in spec.ports"
                        + " (no port there has a name)"),
                vm("  image: a\n  healthcheck: {httpGet: {port: web}}\n"));
        assertEquals(List.of("f.yaml:7:33: VM/web: spec.healthcheck.httpGet.port: must be at most 65535"),
                vm("  image: a\n  healthcheck: {httpGet: {port: 70000}}\n"));
    }

    @Test
    void volumeNamesExactlyOneSource() {
        assertEquals(List.of("f.yaml:7:13: VM/web: spec.volumes[0]: one of volumeRef or hostPath is required"),
                vm("  image: a\n  volumes: [{name: d, mountPath: /data}]\n"));
        assertEquals(List.of("f.yaml:7:37: VM/web: spec.volumes[0].hostPath: set either volumeRef or hostPath, not both"),
                vm("  image: a\n  volumes: [{name: d, volumeRef: d, hostPath: /srv, mountPath: /data}]\n"));
    }

    @Test
    void duplicateHostPortsAndEnvNames() {
        assertEquals(List.of(
                        "f.yaml:7:68: VM/web: spec.ports[1].hostPort: host port 0.0.0.0:80/TCP is already used by spec.ports[0]",
                        "f.yaml:8:27: VM/web: spec.env[1].name: duplicate name \"A\", already used by spec.env[0]"),
                vm("  image: a\n  ports: [{guestPort: 80, hostPort: 80}, {guestPort: 81, hostPort: 80}]\n"
                        + "  env: [{name: A}, {name: A, value: x}]\n"));
        assertEquals(List.of(), vm("  image: a\n  ports: [{guestPort: 80, hostPort: 80}, {guestPort: 80, hostPort: 80, protocol: UDP}]\n"));
    }

    @Test
    void nulInArgsOrEnvIsRejectedAtTheField() {
        // YAML's "\0" escape is a NUL byte; a process would see its argument cut short there
        assertEquals(List.of(
                        "f.yaml:7:16: VM/web: spec.args[1]: contains a NUL byte (\\u0000), which a process cannot receive in its arguments or environment",
                        "f.yaml:8:26: VM/web: spec.env[0].value: contains a NUL byte (\\u0000), which a process cannot receive in its arguments or environment"),
                vm("  image: a\n  args: [\"ok\", \"cut\\0here\"]\n  env: [{name: A, value: \"x\\0y\"}]\n"));
        String stack = "apiVersion: hypr.dev/v1alpha1\nkind: Stack\nmetadata:\n  name: s\nspec:\n  services:\n"
                + "  - name: web\n    image: a\n    command: [\"a\\0b\"]\n";
        assertEquals(1, errors(stack).size(), () -> errors(stack).toString());
    }

    @Test
    void envValueFromSecretFile() {
        assertEquals(List.of(), vm("  image: a\n  env: [{name: P, valueFrom: {secretFile: /run/p}}]\n"
                + "  secrets: [{name: db.pw, file: /run/db}]\n"));
        assertEquals(List.of("f.yaml:7:29: VM/web: spec.env[0].valueFrom: set either value or valueFrom, not both"),
                vm("  image: a\n  env: [{name: P, value: x, valueFrom: {secretFile: /p}}]\n"));
        assertEquals(List.of("f.yaml:7:43: VM/web: spec.env[0].valueFrom.secretFile: must be an absolute path",
                        "f.yaml:8:30: VM/web: spec.secrets[0].file: must be an absolute path"),
                vm("  image: a\n  env: [{name: P, valueFrom: {secretFile: p}}]\n  secrets: [{name: db, file: db}]\n"));
        assertEquals(1, vm("  image: a\n  secrets: [{name: ../x, file: /db}]\n").size());
        assertEquals(1, vm("  image: a\n  env: [{name: \"A=B\", value: x}]\n").size());
    }

    @Test
    void secretsAndFilesGoToPlainDistinctGuestPaths() {
        assertEquals(List.of(), vm("  image: a\n  secrets: [{name: db, file: /d, mountPath: /etc/app/db.pw, uid: 0, gid: 100, mode: \"0440\"}]\n"
                + "  files:\n  - {path: /etc/app/app.conf, content: \"x=1\\n\", mode: \"644\"}\n  - {path: /srv/c.json, hostPath: /h/c.json}\n"));
        assertEquals(List.of("f.yaml:7:45: VM/web: spec.secrets[0].mountPath: \"etc/db\" must be an absolute path"),
                vm("  image: a\n  secrets: [{name: db, file: /d, mountPath: etc/db}]\n"));
        assertEquals(List.of("f.yaml:7:45: VM/web: spec.secrets[0].mountPath: \"/etc/../db\" must not contain \"..\" components (write the path it means)"),
                vm("  image: a\n  secrets: [{name: db, file: /d, mountPath: /etc/../db}]\n"));
        assertEquals(List.of("f.yaml:8:18: VM/web: spec.files[0].path: \"/run/secrets/db\" is already the path of spec.secrets[0] (one file per path)"),
                vm("  image: a\n  secrets: [{name: db, file: /d}]\n  files: [{path: /run/secrets/db, content: x}]\n"));
        assertEquals(List.of("f.yaml:8:18: VM/web: spec.files[0].path: \"/data\" is already the path of spec.volumes[0] (a volume mounts there) (one file per path)"),
                vm("  image: a\n  volumes: [{name: d, volumeRef: d, mountPath: /data}]\n  files: [{path: /data, content: x}]\n"));
        assertEquals(List.of("f.yaml:7:11: VM/web: spec.files[0]: one of content or hostPath is required"),
                vm("  image: a\n  files: [{path: /a}]\n"));
        assertEquals(List.of("f.yaml:7:31: VM/web: spec.files[0].content: is 65537 bytes; at most 65536 fit inline (use hostPath)"),
                vm("  image: a\n  files: [{path: /a, content: \"" + "x".repeat(65537) + "\"}]\n"));
        assertEquals(1, vm("  image: a\n  secrets: [{name: db, file: /d, mode: \"0999\"}]\n").size(), "mode is octal");
        assertEquals(1, vm("  image: a\n  secrets: [{name: db, file: /d, mode: 440}]\n").size(), "mode is quoted text, never YAML's number");
    }

    @Test
    void stopSignalIsASignalAndMaxRestartsNeedsOnFailure() {
        assertEquals(List.of(), vm("  image: a\n  stopSignal: SIGQUIT\n  restartPolicy: OnFailure\n  maxRestarts: 2\n"));
        assertEquals(List.of(), vm("  image: a\n  stopSignal: \"3\"\n"));
        assertEquals(List.of("f.yaml:7:15: VM/web: spec.stopSignal: unknown signal \"SIGNOPE\": use a name such as SIGTERM, SIGQUIT or SIGINT, or a number from 1 to 64"),
                vm("  image: a\n  stopSignal: SIGNOPE\n"));
        assertEquals(List.of("f.yaml:7:16: VM/web: spec.maxRestarts: applies only with restartPolicy OnFailure (it is Always)"),
                vm("  image: a\n  maxRestarts: 2\n"));
    }

    @Test
    void stopSignalsByNameAndNumber() {
        assertEquals(3, StopSignals.number("SIGQUIT").getAsInt());
        assertEquals(3, StopSignals.number("quit").getAsInt());
        assertEquals(15, StopSignals.number("15").getAsInt());
        assertEquals(10, StopSignals.number("SIGUSR1").getAsInt());
        assertEquals(36, StopSignals.number("SIGRTMIN+2").getAsInt());
        assertTrue(StopSignals.number("SIGFOO").isEmpty());
        assertTrue(StopSignals.number("0").isEmpty());
        assertTrue(StopSignals.number("65").isEmpty());
    }

    @Test
    void badNameAndLabels() {
        assertEquals(List.of(
                        "f.yaml:4:9: VM/Web_1: metadata.name: \"Web_1\" is not a valid name: at most 63 lowercase letters,"
                                + " digits and '-', starting and ending with a letter or digit",
                        "f.yaml:6:5: VM/Web_1: metadata.labels.-bad: key \"-bad\" must be at most 63 characters of letters,"
                                + " digits, '-', '_' or '.', starting and ending with a letter or digit, optionally after a DNS prefix and '/'"),
                errors("apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: Web_1\n  labels:\n    -bad: x\nspec: {image: a}\n"));
        assertEquals(1, errors(HEADER.replace("web", "a".repeat(64)) + "spec: {image: a}\n").size());
    }

    @Test
    void unknownKindAndApiVersion() {
        assertEquals(List.of("f.yaml:1:13: Vm/web: apiVersion: unsupported apiVersion \"v1\" (want hypr.dev/v1alpha1)",
                        "f.yaml:2:7: Vm/web: kind: unknown kind \"Vm\" (one of VM, Network, Volume, Image, Stack, Sync, Node); did you mean VM?"),
                errors("apiVersion: v1\nkind: Vm\nmetadata:\n  name: web\n"));
        assertEquals(List.of("f.yaml:1:1: /: kind is missing (one of VM, Network, Volume, Image, Stack, Sync, Node)",
                        "f.yaml:1:1: /: apiVersion is missing (want hypr.dev/v1alpha1)").size(),
                errors("metadata: {name: x}\n").size());
    }

    @Test
    void networkCidrAndGateway() {
        String net = "apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: lan\nspec:\n";
        assertEquals(List.of(), errors(net + "  subnet: 10.89.0.0/24\n  gateway: 10.89.0.1\n"));
        assertEquals(List.of("f.yaml:6:11: Network/lan: spec.subnet: \"10.89.0/24\" is not an IPv4 CIDR (expected a.b.c.d/prefix)"),
                errors(net + "  subnet: 10.89.0/24\n"));
        assertEquals(List.of("f.yaml:6:11: Network/lan: spec.subnet: 10.89.0.1/24 has host bits set; did you mean 10.89.0.0/24?"),
                errors(net + "  subnet: 10.89.0.1/24\n"));
        assertEquals(List.of("f.yaml:7:12: Network/lan: spec.gateway: 10.90.0.1 is not inside subnet 10.89.0.0/24"),
                errors(net + "  subnet: 10.89.0.0/24\n  gateway: 10.90.0.1\n"));
        assertEquals(List.of("f.yaml:7:12: Network/lan: spec.gateway: \"10.89.0.256\" is not an IPv4 address (each part is 0-255)"),
                errors(net + "  subnet: 10.89.0.0/24\n  gateway: 10.89.0.256\n"));
    }

    @Test
    void networkSubnetInAReservedRangeIsRefused() {
        String net = "apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: lan\nspec:\n";
        assertEquals(List.of("f.yaml:6:11: Network/lan: spec.subnet: 127.0.0.0/24 overlaps loopback (127.0.0.0/8),"
                        + " which no network may use"), errors(net + "  subnet: 127.0.0.0/24\n"));
        assertEquals(List.of("f.yaml:6:11: Network/lan: spec.subnet: 169.254.10.0/24 overlaps link-local (169.254.0.0/16),"
                        + " which no network may use"), errors(net + "  subnet: 169.254.10.0/24\n"));
        assertEquals(List.of("f.yaml:6:11: Network/lan: spec.subnet: 224.1.0.0/16 overlaps multicast (224.0.0.0/4),"
                        + " which no network may use"), errors(net + "  subnet: 224.1.0.0/16\n"));
        assertEquals(1, errors(net + "  subnet: 0.0.0.0/8\n").size());
        assertEquals(1, errors(net + "  subnet: 255.255.255.0/24\n").size(), "the broadcast address");
        assertEquals(1, errors(net + "  subnet: 96.0.0.0/3\n").size(), "a wide subnet containing 127.0.0.0/8");
        assertEquals(List.of(), errors(net + "  subnet: 192.168.77.0/24\n"));
        assertEquals(List.of(), errors(net + "  subnet: 172.16.0.0/12\n"));
    }

    @Test
    void syncSourceIsExactlyOne() {
        String sync = "apiVersion: hypr.dev/v1alpha1\nkind: Sync\nmetadata:\n  name: s\nspec:\n  source:\n";
        assertEquals(List.of("f.yaml:8:5: Sync/s: spec.source.git: set either path or git, not both"),
                errors(sync + "    path: /srv\n    git: {url: https://x}\n"));
        Manifest ok = read(sync + "    git: {url: https://example.com/repo.git}\n").get(0);
        assertEquals(List.of(), VALIDATOR.validate(ok));
        assertEquals("main", ok.object().at("/spec/source/git/ref").asText());
        assertEquals(60, ok.object().at("/spec/intervalSeconds").asInt());
    }

    @Test
    void stackReferencesMustResolve() {
        String stack = "apiVersion: hypr.dev/v1alpha1\nkind: Stack\nmetadata:\n  name: app\nspec:\n  services:\n"
                + "    - {name: web, image: nginx, dependsOn: [db, cache]}\n    - {name: db, image: postgres, dependsOn: [db]}\n";
        assertEquals(List.of("f.yaml:7:49: Stack/app: spec.services[0].dependsOn[1]: no service named \"cache\" in this stack",
                        "f.yaml:8:47: Stack/app: spec.services[1].dependsOn[0]: a service cannot depend on itself"),
                errors(stack));
    }

    @Test
    void duplicateObjectPointsAtTheSecondAndNamesTheFirst() {
        String vm = HEADER + "spec: {image: a}\n";
        assertEquals(List.of("f.yaml:7:1: VM/web: duplicate object: VM/web is already defined at f.yaml:1:1"),
                errors(vm + "---\n" + vm));
    }

    @Test
    void healthcheckBadInputIsRefusedAtTheField() {
        assertEquals(List.of(), vm("  image: a\n  healthcheck: {exec: {shell: \"test -f /tmp/ok\"}, startPeriodSeconds: 30, onUnhealthy: restart}\n"));
        assertEquals(List.of(), vm("  image: a\n  healthcheck: {disable: true}\n"));
        assertEquals(List.of(), vm("  image: a\n  healthcheck: {httpGet: {port: 80}, periodSeconds: 2, timeoutSeconds: 30}\n"),
                "compose's defaults time out after the period");
        List<String> named = vm("  image: a\n  healthcheck: {httpGet: {port: http}}\n");
        assertEquals(1, named.size(), named.toString());
        assertTrue(named.get(0).contains("spec.healthcheck.httpGet.port") && named.get(0).contains("no port named \"http\""),
                named.toString());
        List<String> both = vm("  image: a\n  healthcheck: {exec: {command: [\"true\"], shell: \"true\"}}\n");
        assertTrue(both.size() == 1 && both.get(0).contains("spec.healthcheck.exec.shell") && both.get(0).contains("not both"), both.toString());
        List<String> two = vm("  image: a\n  healthcheck: {tcpSocket: {port: 80}, httpGet: {port: 80}}\n");
        assertTrue(two.size() == 1 && two.get(0).contains("exactly one"), two.toString());
        List<String> policy = vm("  image: a\n  healthcheck: {tcpSocket: {port: 80}, onUnhealthy: reboot}\n");
        assertTrue(policy.size() == 1 && policy.get(0).contains("spec.healthcheck.onUnhealthy"), policy.toString());
        List<String> path = vm("  image: a\n  healthcheck: {httpGet: {port: 80, path: health}}\n");
        assertTrue(path.size() == 1 && path.get(0).contains("spec.healthcheck.httpGet.path"), path.toString());
    }
}
