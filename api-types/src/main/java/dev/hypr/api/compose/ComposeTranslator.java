package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.ComposeKeys.Status;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.validation.ObjectValidator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a compose project into one {@code Stack} object: each enabled service becomes an
 * entry of spec.services (run as {@code <project>-<service>-<n>} VMs by the Stack controller),
 * declared networks and volumes become spec.networks and spec.volumes. Pure: it reads only the
 * files it is given and those they name (.env, env_file, extends file:, include), never pulls or runs.
 */
public final class ComposeTranslator {
    private ComposeTranslator() {
    }

    public static ComposeResult translate(ComposeRequest request) {
        Problems problems = new Problems();
        ComposeProject project;
        try {
            project = ProjectLoader.load(request, problems);
        } catch (ComposeException e) {
            problems.add(e.error());
            return failed(problems);
        }
        ObjectNode stack;
        Map<String, String> hashes = new LinkedHashMap<>();
        try {
            stack = stack(project, problems, hashes);
        } catch (ComposeException e) {
            problems.add(e.error());
            return failed(problems);
        }
        if (problems.hasErrors()) {
            return failed(problems);
        }
        // The translator's output must always be a valid object; a failure here is a translator bug,
        // reported against the compose file rather than hidden.
        Manifest manifest = new Manifest(stack.deepCopy(), new SourcePosition(request.files().get(0).toString(), 1, 1));
        List<ManifestError> invalid = ObjectValidator.standard().validate(manifest);
        if (!invalid.isEmpty()) {
            invalid.forEach(problems::add);
            return failed(problems);
        }
        return new ComposeResult(List.of(stack), problems.warnings(), List.of(), hashes);
    }

    /** A project name as the Stack's name: normalised as compose does, then made a DNS label; empty when nothing is left. */
    public static String projectName(String raw) {
        return Names.label(Names.projectName(raw));
    }

    /** A compose service name as the Stack's service (and VM name part): {@code Web_App} → {@code web-app}. */
    public static String serviceName(String composeName) {
        return Names.label(composeName);
    }

    /** The resolved compose model, as {@code docker compose config} prints it (not normalised to long forms). */
    public static ComposeModel resolve(ComposeRequest request) {
        Problems problems = new Problems();
        ComposeProject project;
        try {
            project = ProjectLoader.load(request, problems);
        } catch (ComposeException e) {
            problems.add(e.error());
            return new ComposeModel(null, problems.warnings(), problems.errors());
        }
        ObjectNode model = JsonNodeFactory.instance.objectNode().put("name", project.name());
        project.model().entries().forEach((key, value) -> {
            if (!key.equals("name")) {
                model.set(key, YNodes.toJson(value));
            }
        });
        return new ComposeModel(problems.hasErrors() ? null : model, problems.warnings(), problems.errors());
    }

    private static ComposeResult failed(Problems problems) {
        return new ComposeResult(List.of(), problems.warnings(), problems.errors(), Map.of());
    }

    private static ObjectNode stack(ComposeProject project, Problems problems, Map<String, String> hashes) {
        YMap model = project.model();
        for (String key : model.entries().keySet()) {
            ComposeKeys.Key known = ComposeKeys.TOP_LEVEL.get(key);
            if (key.startsWith("x-")) {
                continue;
            }
            if (known == null) {
                problems.error(model.keyPosition(key), key, "unknown top-level key \"" + key + "\"");
            } else if (known.status() == Status.WARNED) {
                problems.warn(model.keyPosition(key), key, key + " has no effect here (" + known.becomes() + ")");
            }
        }
        YMap services = project.section("services");
        if (services.entries().isEmpty()) {
            problems.error(model.position(), "services", "no services (none defined, or none enabled by the active profiles)");
        }
        StackContext context = new StackContext(project, problems);
        ArrayNode specServices = JsonNodeFactory.instance.arrayNode();
        services.entries().forEach((name, node) -> {
            if (!(node instanceof YMap service)) {
                problems.error(node.position(), "services." + name, "a service is a mapping");
                return;
            }
            ObjectNode translated = new ServiceTranslator(project, context, problems, name, service).translate();
            specServices.add(translated);
            hashes.put(translated.path("name").asText(), ServiceHash.of(translated));
        });
        context.checkCycles();
        ObjectNode stack = JsonNodeFactory.instance.objectNode();
        stack.put("apiVersion", Kind.API_VERSION).put("kind", Kind.STACK.kindName());
        stack.putObject("metadata").put("name", project.name());
        ObjectNode spec = stack.putObject("spec");
        spec.set("services", specServices);
        if (!context.networks().isEmpty()) {
            spec.set("networks", context.networks());
        }
        ArrayNode volumes = context.volumes();
        if (!volumes.isEmpty()) {
            spec.set("volumes", volumes);
        }
        return stack;
    }
}
