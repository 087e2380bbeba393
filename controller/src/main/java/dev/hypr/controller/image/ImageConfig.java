package dev.hypr.controller.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime defaults of an image config blob ({@code .config}): what a VM runs unless its spec
 * says otherwise. healthcheck is null when the image declares no HEALTHCHECK.
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
        String user, List<String> exposedPorts, Map<String, String> labels, String os, String architecture,
        ImageHealthcheck healthcheck) {

    public ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
            String user, List<String> exposedPorts, Map<String, String> labels, String os, String architecture) {
        this(entrypoint, cmd, env, workingDir, user, exposedPorts, labels, os, architecture, null);
    }

    public static ImageConfig parse(JsonNode blob) {
        JsonNode c = blob.path("config");
        List<String> ports = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        return new ImageConfig(strings(c.path("Entrypoint")), strings(c.path("Cmd")), strings(c.path("Env")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""), ports, labels,
                blob.path("os").asText(""), blob.path("architecture").asText(""),
                ImageHealthcheck.parse(c.path("Healthcheck")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
