package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.GrpcErrors;
import dev.hypr.cli.ManifestInput;
import dev.hypr.cli.UnifiedDiff;
import dev.hypr.cli.output.YamlWriter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hyprctl diff -f FILE}: what {@code apply} would change, as a unified diff of the live
 * object's labels, annotations and spec against the file's (after defaults). Exit 0 = no
 * differences, 1 = differences, 2 = error (kubectl's convention).
 */
@Command(name = "diff", addMethodSubcommands = false, description = {"Show what apply would change: a unified diff of live objects vs files.",
        "Compares labels, annotations and spec (after defaults). Exit 0: no differences, 1: differences, 2: error."})
public final class DiffCommand extends BaseCommand {
    static final int DIFFERENT = 1;
    static final int FAILED = 2;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
            description = "Manifests to compare. Repeatable.")
    List<String> files;

    @Option(names = {"-R", "--recursive"}, description = "Also read sub-directories of -f DIR.")
    boolean recursive;

    @Override
    public Integer call() {
        try {
            return diff();
        } catch (CliException e) {
            throw new CliException(e.getMessage(), Math.max(FAILED, e.exitCode()));
        } catch (StatusRuntimeException e) {
            GrpcErrors.report(e, connection().target(), err());
            throw new CliException("", FAILED);
        }
    }

    private int diff() {
        List<Manifest> manifests = ManifestInput.loadOrFail(files, recursive, env().in(), true, err(),
                "nothing was compared");
        boolean different = false;
        for (Manifest m : manifests) {
            Kind kind = Kind.fromKindName(m.kind()).orElseThrow(() -> new CliException("unknown kind \""
                    + m.kind() + "\""));
            String ref = kind.singular() + "/" + m.name();
            JsonNode live = null;
            try {
                live = Json.parseObject(api().get(GetRequest.newBuilder().setKind(kind.kindName())
                        .setName(m.name()).build()).getJson());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
            }
            List<String> before = live == null ? List.of() : lines(comparable(live));
            List<String> after = lines(comparable(keepingBinding(m.object(), live)));
            String d = UnifiedDiff.diff(before, after, live == null ? "/dev/null" : "live/" + ref, "file/" + ref, 3);
            if (!d.isEmpty()) {
                different = true;
                out().println("diff -u live/" + ref + " file/" + ref);
                out().print(d);
            }
        }
        out().flush();
        return different ? DIFFERENT : 0;
    }

    /** The store keeps a VM's or Volume's spec.nodeName when a manifest omits it: so does the comparison. */
    static JsonNode keepingBinding(JsonNode file, JsonNode live) {
        JsonNode bound = live == null ? null : live.path("spec").get("nodeName");
        if (bound == null || !(file.path("spec") instanceof ObjectNode spec) || spec.has("nodeName")) {
            return file;
        }
        ObjectNode copy = file.deepCopy();
        ((ObjectNode) copy.get("spec")).set("nodeName", bound);
        return copy;
    }

    private static List<String> lines(JsonNode node) {
        return Arrays.asList(YamlWriter.write(node).split("\n"));
    }

    /** The fields apply owns, with keys sorted so that key order never shows as a difference. */
    static JsonNode comparable(JsonNode obj) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("apiVersion", obj.path("apiVersion"));
        out.set("kind", obj.path("kind"));
        ObjectNode meta = out.putObject("metadata");
        meta.set("name", obj.path("metadata").path("name"));
        for (String f : List.of("labels", "annotations")) {
            JsonNode v = obj.path("metadata").path(f);
            if (v.isObject() && !v.isEmpty()) {
                meta.set(f, v);
            }
        }
        if (!obj.path("spec").isMissingNode() && !obj.path("spec").isNull()) {
            out.set("spec", obj.path("spec"));
        }
        return Json.sortedKeys(out);
    }

}
