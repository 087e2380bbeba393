package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.util.Set;

/** {@code build:} (a context path, or {context, dockerfile, target, args, ...}) → a Stack build reference. */
final class BuildSpecs {
    static final Set<String> SUPPORTED = Set.of("context", "dockerfile", "dockerfile_inline", "target", "args");
    static final Set<String> WARNED = Set.of("ssh", "secrets", "additional_contexts", "platforms", "tags",
            "network", "labels", "cache_from", "cache_to", "extra_hosts", "isolation", "no_cache", "pull", "shm_size",
            "ulimits", "privileged", "entitlements", "provenance", "sbom");

    private BuildSpecs() {
    }

    static ObjectNode translate(YNode build, String path, ComposeProject project, Problems problems) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        YScalar context;
        if (build instanceof YScalar s) {
            context = s;
        } else if (build instanceof YMap m) {
            Set<String> known = new java.util.HashSet<>(SUPPORTED);
            known.addAll(WARNED);
            KeyCheck.only(m, path, known, problems);
            m.entries().keySet().stream().filter(WARNED::contains).forEach(k ->
                    problems.warn(m.keyPosition(k), path + "." + k, "build." + k + " has no effect here"));
            context = m.get("context") instanceof YScalar c ? c : new YScalar(".", m.position(), null);
            if (m.get("dockerfile") instanceof YScalar d) {
                out.put("dockerfile", d.text());
            }
            if (m.get("dockerfile_inline") instanceof YScalar d) {
                if (m.get("dockerfile") != null) {
                    problems.error(m.keyPosition("dockerfile_inline"), path + ".dockerfile_inline",
                            "dockerfile and dockerfile_inline are mutually exclusive");
                }
                out.put("dockerfileInline", d.text());
            }
            if (m.get("target") instanceof YScalar t) {
                out.put("target", t.text());
            }
            if (m.get("args") != null) {
                YMap args = ComposeMerger.namedListAsMap(m.get("args"));
                if (args == null) {
                    problems.error(m.get("args").position(), path + ".args", "args is a mapping or a list of NAME=VALUE");
                } else if (!args.entries().isEmpty()) {
                    ArrayNode list = JsonNodeFactory.instance.arrayNode();
                    args.entries().forEach((k, v) -> {
                        ObjectNode arg = list.addObject().put("name", k);
                        if (v instanceof YScalar s && !s.isNull()) {
                            arg.put("value", s.text());
                        }
                    });
                    out.set("args", list);
                }
            }
        } else {
            problems.error(build.position(), path, "build is a context path or a mapping");
            return null;
        }
        String c = context.text();
        boolean remote = c.contains("://") || c.startsWith("git@") || c.startsWith("github.com/");
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("context", remote ? c : project.resolve(context).toString());
        result.setAll(out);
        return result;
    }
}
