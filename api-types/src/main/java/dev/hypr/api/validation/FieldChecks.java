package dev.hypr.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.codec.JsonPointers;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.net.Ipv4Address;
import dev.hypr.api.net.Ipv4Cidr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks shared by several kinds' rules; each reports at the offending node. */
final class FieldChecks {
    private FieldChecks() {
    }

    /** Exactly one of two alternative fields of the object at {@code pointer} must be set. */
    static void exactlyOne(Manifest m, String pointer, String first, String second, List<ManifestError> errors) {
        JsonNode object = m.object().at(pointer);
        boolean hasFirst = object.hasNonNull(first);
        boolean hasSecond = object.hasNonNull(second);
        if (hasFirst && hasSecond) {
            errors.add(m.errorAtKey(JsonPointers.child(pointer, second),
                    "set either " + first + " or " + second + ", not both"));
        } else if (!hasFirst && !hasSecond) {
            errors.add(m.errorAt(pointer, "one of " + first + " or " + second + " is required"));
        }
    }

    static Optional<Ipv4Cidr> cidr(Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode value = m.object().at(pointer);
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            Ipv4Cidr cidr = Ipv4Cidr.parse(value.textValue());
            if (cidr.prefixLength() > 30) {
                errors.add(m.errorAt(pointer, "prefix /" + cidr.prefixLength() + " leaves no room for a gateway and VMs (use /30 or shorter)"));
            }
            return Optional.of(cidr);
        } catch (IllegalArgumentException e) {
            errors.add(m.errorAt(pointer, e.getMessage()));
            return Optional.empty();
        }
    }

    static Optional<Ipv4Address> ipv4(Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode value = m.object().at(pointer);
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Ipv4Address.parse(value.textValue()));
        } catch (IllegalArgumentException e) {
            errors.add(m.errorAt(pointer, e.getMessage()));
            return Optional.empty();
        }
    }

    /** Two published ports cannot bind the same host address, port and protocol. */
    static void uniqueHostPorts(Manifest m, String portsPointer, List<ManifestError> errors) {
        Map<String, Integer> seen = new HashMap<>();
        JsonNode ports = m.object().at(portsPointer);
        for (int i = 0; i < ports.size(); i++) {
            String port = JsonPointers.child(portsPointer, i);
            ipv4(m, port + "/hostIP", errors);
            JsonNode p = ports.get(i);
            if (!p.has("hostPort")) {
                continue;
            }
            String binding = p.path("hostIP").asText("0.0.0.0") + ":" + p.get("hostPort").asInt() + "/" + p.path("protocol").asText("TCP");
            Integer first = seen.putIfAbsent(binding, i);
            if (first != null) {
                errors.add(m.errorAt(port + "/hostPort", "host port " + binding + " is already used by "
                        + JsonPointers.toFieldPath(JsonPointers.child(portsPointer, first))));
            }
        }
    }

    /** stopSignal is a signal Linux has; maxRestarts only limits restartPolicy OnFailure. */
    static void stopSettings(Manifest m, String specPointer, List<ManifestError> errors) {
        JsonNode signal = m.object().at(specPointer + "/stopSignal");
        if (signal.isTextual() && StopSignals.number(signal.textValue()).isEmpty()) {
            errors.add(m.errorAt(specPointer + "/stopSignal", StopSignals.problem(signal.textValue())));
        }
        String policy = m.object().at(specPointer + "/restartPolicy").asText("Always");
        if (m.object().at(specPointer + "/maxRestarts").isNumber() && !policy.equals("OnFailure")) {
            errors.add(m.errorAt(specPointer + "/maxRestarts", "applies only with restartPolicy OnFailure (it is " + policy + ")"));
        }
    }

    /** Each volume mount names a Volume or a host path, and mounts at an absolute path. */
    static void volumeMounts(Manifest m, String volumesPointer, List<ManifestError> errors) {
        JsonNode volumes = m.object().at(volumesPointer);
        Map<String, Integer> mountPaths = new HashMap<>();
        for (int i = 0; i < volumes.size(); i++) {
            String volume = JsonPointers.child(volumesPointer, i);
            exactlyOne(m, volume, "volumeRef", "hostPath", errors);
            absolutePath(m, volume + "/hostPath", errors);
            JsonNode mountPath = volumes.get(i).path("mountPath");
            if (!mountPath.isTextual()) {
                continue;
            }
            Optional<String> problem = mountPathProblem(mountPath.textValue());
            if (problem.isPresent()) {
                errors.add(m.errorAt(volume + "/mountPath", problem.get()));
                continue;
            }
            Integer first = mountPaths.putIfAbsent(normalMountPath(mountPath.textValue()), i);
            if (first != null) {
                errors.add(m.errorAt(volume + "/mountPath", "\"" + mountPath.textValue() + "\" is already the mountPath of "
                        + JsonPointers.toFieldPath(JsonPointers.child(volumesPointer, first)) + " (one volume per path)"));
            }
        }
    }

    /** Why a guest path cannot take a mount: it must be absolute, not the root, and plain. */
    static Optional<String> mountPathProblem(String path) {
        if (!path.startsWith("/")) {
            return Optional.of("must be an absolute path");
        }
        if (path.indexOf('\0') >= 0) {
            return Optional.of("contains a NUL byte (\\u0000)");
        }
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                return Optional.of("must not contain \"" + part + "\" components (write the path it means)");
            }
        }
        if (normalMountPath(path).equals("/")) {
            return Optional.of("cannot be / (the root filesystem is the image; mount the volume at a directory)");
        }
        return Optional.empty();
    }

    /** "/data//x/" and "/data/x" are one mount point. */
    static String normalMountPath(String path) {
        String joined = String.join("/", java.util.Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList());
        return "/" + joined;
    }

    static void absolutePath(Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode value = m.object().at(pointer);
        if (value.isTextual() && !value.textValue().startsWith("/")) {
            errors.add(m.errorAt(pointer, "must be an absolute path"));
        }
    }

    /**
     * What becomes the workload's argv and environment: no NUL byte (a C string ends there, so
     * the process would get a different value than the object says), no '=' in an env name,
     * and a value given one way only. Secret file paths are absolute (apply resolves relative ones).
     */
    static void workloadText(Manifest m, String specPointer, List<ManifestError> errors) {
        for (String list : List.of("command", "args")) {
            JsonNode items = m.object().at(specPointer + "/" + list);
            for (int i = 0; i < items.size(); i++) {
                noNul(m, JsonPointers.child(specPointer + "/" + list, i), errors);
            }
        }
        noNul(m, specPointer + "/workingDir", errors);
        noNul(m, specPointer + "/user", errors);
        JsonNode env = m.object().at(specPointer + "/env");
        for (int i = 0; i < env.size(); i++) {
            String var = JsonPointers.child(specPointer + "/env", i);
            noNul(m, var + "/name", errors);
            noNul(m, var + "/value", errors);
            if (env.get(i).path("name").asText().contains("=")) {
                errors.add(m.errorAt(var + "/name", "an environment variable name cannot contain '='"));
            }
            if (env.get(i).has("value") && env.get(i).has("valueFrom")) {
                errors.add(m.errorAtKey(var + "/valueFrom", "set either value or valueFrom, not both"));
            }
            absolutePath(m, var + "/valueFrom/secretFile", errors);
        }
        JsonNode secrets = m.object().at(specPointer + "/secrets");
        for (int i = 0; i < secrets.size(); i++) {
            absolutePath(m, JsonPointers.child(specPointer + "/secrets", i) + "/file", errors);
        }
    }

    private static void noNul(Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode value = m.object().at(pointer);
        if (value.isTextual() && value.textValue().indexOf('\0') >= 0) {
            errors.add(m.errorAt(pointer, "contains a NUL byte (\\u0000), which a process cannot receive in its arguments or environment"));
        }
    }

    /**
     * A healthcheck says how to probe in exactly one way (or only {@code disable: true}); an exec
     * probe is an argv or a shell string, not both. (A timeout longer than the period is fine:
     * the next probe is scheduled from the previous result, as docker does.)
     */
    static void healthcheck(Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode check = m.object().at(pointer);
        if (check.isMissingNode() || check.isNull()) {
            return;
        }
        long probes = List.of("exec", "httpGet", "tcpSocket").stream().filter(check::has).count();
        boolean disabled = check.path("disable").asBoolean(false);
        if (probes != 1 && !(disabled && probes == 0)) {
            errors.add(m.errorAt(pointer, "set exactly one of exec, httpGet or tcpSocket (or only disable: true)"));
        }
        JsonNode exec = check.path("exec");
        if (exec.isObject()) {
            exactlyOne(m, JsonPointers.child(pointer, "exec"), "command", "shell", errors);
        }
        String ports = pointer.substring(0, pointer.lastIndexOf('/')) + "/ports";
        for (String probe : List.of("httpGet", "tcpSocket")) {
            namedPort(m, JsonPointers.child(JsonPointers.child(pointer, probe), "port"), ports, errors);
        }
    }

    /** A probe port given by name must be the name of one of the VM's ports. */
    private static void namedPort(Manifest m, String pointer, String portsPointer, List<ManifestError> errors) {
        JsonNode port = m.object().at(pointer);
        if (!port.isTextual()) {
            return;
        }
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode p : m.object().at(portsPointer)) {
            if (p.path("name").isTextual()) {
                names.add(p.path("name").textValue());
            }
        }
        if (!names.contains(port.textValue())) {
            errors.add(m.errorAt(pointer, "no port named \"" + port.textValue() + "\" in " + JsonPointers.toFieldPath(portsPointer)
                    + (names.isEmpty() ? " (no port there has a name)" : " (named: " + String.join(", ", names) + ")")));
        }
    }
}
