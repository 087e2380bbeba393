package dev.hypr.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.codec.JsonPointers;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.model.GuestFile;
import dev.hypr.api.model.SecretFileMount;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files Kestrel writes into a guest (spec.secrets, spec.files): each at a plain absolute path,
 * no two at one path, none where a volume mounts. Shared by the VM rules and the Stack
 * controller's VM templates, which build VMs no manifest validated.
 */
public final class GuestFileRules {
    private GuestFileRules() {
    }

    /** Why a guest path cannot hold a file: absolute, no "." or ".." components, not a directory. */
    public static Optional<String> pathProblem(String path) {
        if (path.startsWith("/") && path.endsWith("/")) {
            return Optional.of("names a directory; give the file's path");
        }
        return FieldChecks.mountPathProblem(path);
    }

    /** Why inline content is refused: the object is not a file store. */
    public static Optional<String> contentProblem(String content) {
        int bytes = content == null ? 0 : content.getBytes(StandardCharsets.UTF_8).length;
        return bytes > GuestFile.MAX_INLINE_BYTES
                ? Optional.of("is " + bytes + " bytes; at most " + GuestFile.MAX_INLINE_BYTES + " fit inline (use hostPath)")
                : Optional.empty();
    }

    /** One reported problem: the field (JSON pointer) and what is wrong. */
    public interface Report {
        void report(String pointer, String message);
    }

    /** The checks on a VM-shaped object at {@code specPointer} (a VM's spec). */
    static void check(Manifest m, String specPointer, List<ManifestError> errors) {
        check(m.object().at(specPointer), specPointer, (pointer, message) -> errors.add(m.errorAt(pointer, message)));
    }

    /** Same checks on a spec as JSON, reporting through {@code sink}: usable without a manifest. */
    public static void check(JsonNode spec, String specPointer, Report sink) {
        Map<String, String> claimed = new HashMap<>();
        JsonNode volumes = spec.path("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            if (volumes.get(i).path("mountPath").isTextual()) {
                claimed.putIfAbsent(FieldChecks.normalMountPath(volumes.get(i).path("mountPath").textValue()),
                        JsonPointers.toFieldPath(JsonPointers.child(specPointer + "/volumes", i)) + " (a volume mounts there)");
            }
        }
        JsonNode secrets = spec.path("secrets");
        for (int i = 0; i < secrets.size(); i++) {
            String at = JsonPointers.child(specPointer + "/secrets", i);
            JsonNode s = secrets.get(i);
            String path = s.path("mountPath").isTextual() ? s.path("mountPath").textValue()
                    : SecretFileMount.DEFAULT_DIR + s.path("name").asText();
            String pointer = s.has("mountPath") ? at + "/mountPath" : at + "/name";
            claim(path, pointer, JsonPointers.toFieldPath(at), claimed, sink);
        }
        JsonNode files = spec.path("files");
        for (int i = 0; i < files.size(); i++) {
            String at = JsonPointers.child(specPointer + "/files", i);
            JsonNode f = files.get(i);
            boolean content = f.hasNonNull("content");
            boolean host = f.hasNonNull("hostPath");
            if (content == host) {
                sink.report(at, content ? "set either content or hostPath, not both" : "one of content or hostPath is required");
            }
            if (host && !f.path("hostPath").asText().startsWith("/")) {
                sink.report(at + "/hostPath", "must be an absolute path");
            }
            contentProblem(f.path("content").asText(null)).ifPresent(p -> sink.report(at + "/content", p));
            if (f.path("path").isTextual()) {
                claim(f.path("path").textValue(), at + "/path", JsonPointers.toFieldPath(at), claimed, sink);
            }
        }
    }

    private static void claim(String path, String pointer, String field, Map<String, String> claimed, Report sink) {
        Optional<String> problem = pathProblem(path);
        if (problem.isPresent()) {
            sink.report(pointer, "\"" + path + "\" " + problem.get());
            return;
        }
        String first = claimed.putIfAbsent(FieldChecks.normalMountPath(path), field);
        if (first != null) {
            sink.report(pointer, "\"" + path + "\" is already the path of " + first + " (one file per path)");
        }
    }
}
