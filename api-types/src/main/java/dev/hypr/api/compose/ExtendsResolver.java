package dev.hypr.api.compose;

import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code extends:} (a service name in the same file, or {@code {service, file}}): the base service,
 * itself resolved first, with the extending service merged over it by the compose merge rules.
 * Relative paths in a base from another file keep resolving against that file's directory.
 */
final class ExtendsResolver {
    private final ProjectLoader loader;

    private ExtendsResolver(ProjectLoader loader) {
        this.loader = loader;
    }

    static YMap apply(YMap model, ProjectLoader loader) {
        if (!(model.get("services") instanceof YMap services)) {
            return model;
        }
        ExtendsResolver resolver = new ExtendsResolver(loader);
        Map<String, YNode> resolved = new LinkedHashMap<>();
        services.entries().forEach((name, service) ->
                resolved.put(name, resolver.resolve(name, services, new LinkedHashSet<>())));
        Map<String, YNode> entries = new LinkedHashMap<>(model.entries());
        entries.put("services", new YMap(resolved, services.keyPositions(), services.position(), null));
        return new YMap(entries, model.keyPositions(), model.position(), null);
    }

    private YNode resolve(String name, YMap services, Set<String> chain) {
        YNode node = services.get(name);
        if (!(node instanceof YMap service) || service.get("extends") == null) {
            return node;
        }
        YNode ext = service.get("extends");
        String path = "services." + name + ".extends";
        String baseName;
        YMap baseServices = services;
        String fileKey = service.position().source();
        if (ext instanceof YScalar s) {
            baseName = s.text();
        } else if (ext instanceof YMap m) {
            for (String key : m.entries().keySet()) {
                if (!key.equals("service") && !key.equals("file")) {
                    throw new ComposeException(m.keyPosition(key), path + "." + key, "unknown key \"" + key + "\" (known: file, service)");
                }
            }
            if (!(m.get("service") instanceof YScalar s)) {
                throw new ComposeException(ext.position(), path, "extends needs service: (the service to extend)");
            }
            baseName = s.text();
            if (m.get("file") instanceof YScalar f) {
                Path file = loader.baseDirOf(f.position()).resolve(f.text()).normalize();
                if (!java.nio.file.Files.isRegularFile(file)) {
                    throw new ComposeException(f.position(), path + ".file", "file " + file + " does not exist");
                }
                YMap other = loader.extendedFile(file);
                baseServices = other.get("services") instanceof YMap os ? os : new YMap(Map.of(), Map.of(), other.position(), null);
                fileKey = file.toString();
            }
        } else {
            throw new ComposeException(ext.position(), path, "extends takes a service name or {service, file}");
        }
        if (!chain.add(fileKey + "#" + baseName + "<-" + name) || chain.size() > 64) {
            throw new ComposeException(ext.position(), path, "extends cycle through service \"" + baseName + "\"");
        }
        if (!(baseServices.get(baseName) instanceof YMap)) {
            throw new ComposeException(ext.position(), path, "no service \"" + baseName + "\" to extend"
                    + (baseServices == services ? "" : " in " + fileKey));
        }
        YMap base = (YMap) resolve(baseName, baseServices, chain);
        Map<String, YNode> own = new LinkedHashMap<>(service.entries());
        own.remove("extends");
        return ComposeMerger.merge(base, new YMap(own, service.keyPositions(), service.position(), null));
    }
}
