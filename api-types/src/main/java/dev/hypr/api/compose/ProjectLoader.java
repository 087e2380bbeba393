package dev.hypr.api.compose;

import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.YNode.YList;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the request's files into one resolved compose model, in compose's order: environment
 * ({@code .env} / {@code --env-file} under the caller's environment), then per file: parse,
 * interpolate, {@code include}, {@code extends}; then the files merged in order, the project
 * named and services filtered by the active profiles. Reads only the files given and those they name.
 */
final class ProjectLoader {
    static final List<String> RESOURCE_SECTIONS = List.of("services", "networks", "volumes", "secrets", "configs");

    private final ComposeRequest request;
    private final Problems problems;
    private final Path projectDir;
    private final Map<String, Path> baseDirs = new HashMap<>();
    private final Map<Path, YMap> extendedFiles = new HashMap<>();
    private final Set<String> reportedUnset = new HashSet<>();
    private Map<String, String> environment;

    private ProjectLoader(ComposeRequest request, Problems problems) {
        this.request = request;
        this.problems = problems;
        Path first = request.files().get(0).toAbsolutePath().normalize();
        this.projectDir = request.workingDir() != null ? request.workingDir().toAbsolutePath().normalize() : first.getParent();
    }

    static ComposeProject load(ComposeRequest request, Problems problems) {
        return new ProjectLoader(request, problems).load();
    }

    private ComposeProject load() {
        environment = projectEnvironment();
        YMap merged = null;
        for (Path file : request.files()) {
            YMap model = loadFile(file, projectDir, environment, new LinkedHashSet<>());
            merged = merged == null ? model : ComposeMerger.merge(merged, model);
        }
        String name = projectName(merged);
        YMap filtered = ProfileFilter.apply(merged, activeProfiles(), problems);
        return new ComposeProject(filtered, name, projectDir, environment, baseDirs);
    }

    /** The caller's environment over the env files (or {@code .env} in the project directory). */
    private Map<String, String> projectEnvironment() {
        List<Path> envFiles = request.envFiles();
        boolean explicit = !envFiles.isEmpty();
        if (!explicit) {
            Path dotEnv = projectDir.resolve(".env");
            envFiles = Files.isRegularFile(dotEnv) ? List.of(dotEnv) : List.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Path f : envFiles) {
            env.putAll(readEnvFile(f, name -> request.environment().containsKey(name) ? request.environment().get(name) : env.get(name)));
        }
        env.putAll(request.environment());
        return env;
    }

    /** Parses an env file; a file that is missing or malformed is an error at its line. */
    Map<String, String> readEnvFile(Path file, java.util.function.Function<String, String> lookup) {
        String source = file.toString();
        try {
            return DotEnv.parse(Files.readString(file, StandardCharsets.UTF_8), lookup);
        } catch (NoSuchFileException e) {
            throw new ComposeException(new SourcePosition(source, 1, 1), "", "env file not found");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ComposeException(new SourcePosition(source, 1, 1), "", "cannot read env file: " + e.getMessage());
        } catch (DotEnv.DotEnvException e) {
            throw new ComposeException(new SourcePosition(source, e.line, 1), "", e.getMessage());
        }
    }

    private YMap loadFile(Path file, Path baseDir, Map<String, String> env, Set<Path> including) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!including.add(absolute)) {
            throw new ComposeException(new SourcePosition(file.toString(), 1, 1), "include", "include cycle: " + including);
        }
        YMap model = parse(file, baseDir, env);
        model = applyIncludes(model, absolute.getParent(), env, including);
        model = ExtendsResolver.apply(model, this);
        including.remove(absolute);
        return model;
    }

    /** Reads, parses and interpolates one file; its relative paths resolve against {@code baseDir}. */
    YMap parse(Path file, Path baseDir, Map<String, String> env) {
        String source = file.toString();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ComposeException(new SourcePosition(source, 1, 1), "", "no such file");
        } catch (IOException e) {
            throw new ComposeException(new SourcePosition(source, 1, 1), "", "cannot read: " + e.getMessage());
        }
        baseDirs.putIfAbsent(source, baseDir);
        YMap raw = ComposeYamlLoader.load(source, content);
        return (YMap) interpolate(raw, "", env);
    }

    Path baseDirOf(SourcePosition position) {
        return baseDirs.getOrDefault(position.source(), projectDir);
    }

    Map<String, String> environment() {
        return environment;
    }

    /** Loads a file named by {@code extends: file:} once; its paths resolve against its own directory. */
    YMap extendedFile(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        YMap cached = extendedFiles.get(absolute);
        if (cached == null) {
            cached = parse(file, absolute.getParent(), environment);
            extendedFiles.put(absolute, cached);
        }
        return cached;
    }

    private YNode interpolate(YNode node, String path, Map<String, String> env) {
        if (node instanceof YScalar s) {
            if (!(s.value() instanceof String text) || text.indexOf('$') < 0) {
                return s;
            }
            Interpolator interpolator = new Interpolator(env::get, variable -> {
                if (reportedUnset.add(variable)) {
                    problems.warn(s.position(), path, "variable " + variable + " is not set; using an empty string");
                }
            });
            try {
                return new YScalar(interpolator.interpolate(text), s.position(), s.customTag());
            } catch (Interpolator.TemplateException e) {
                problems.error(s.position(), path, e.getMessage());
                return s;
            }
        }
        if (node instanceof YList l) {
            List<YNode> items = new ArrayList<>();
            for (int i = 0; i < l.items().size(); i++) {
                items.add(interpolate(l.items().get(i), path + "[" + i + "]", env));
            }
            return new YList(items, l.position(), l.customTag());
        }
        YMap m = (YMap) node;
        Map<String, YNode> entries = new LinkedHashMap<>();
        m.entries().forEach((k, v) -> entries.put(k, interpolate(v, path.isEmpty() ? k : path + "." + k, env)));
        return new YMap(entries, m.keyPositions(), m.position(), m.customTag());
    }

    /** {@code include:} adds another project's resources; defining one twice is an error. */
    private YMap applyIncludes(YMap model, Path dir, Map<String, String> env, Set<Path> including) {
        YNode include = model.get("include");
        if (include == null) {
            return model;
        }
        Map<String, YNode> entries = new LinkedHashMap<>(model.entries());
        entries.remove("include");
        YMap result = new YMap(entries, model.keyPositions(), model.position(), null);
        if (!(include instanceof YList list)) {
            problems.error(include.position(), "include", "include takes a list of files");
            return result;
        }
        for (int i = 0; i < list.items().size(); i++) {
            YNode item = list.items().get(i);
            String path = "include[" + i + "]";
            List<YScalar> paths = new ArrayList<>();
            Path includedProjectDir = null;
            Map<String, String> includedEnv = env;
            if (item instanceof YScalar s) {
                paths.add(s);
            } else if (item instanceof YMap m) {
                KeyCheck.only(m, path, Set.of("path", "project_directory", "env_file"), problems);
                YNode p = m.get("path");
                if (p instanceof YScalar ps) {
                    paths.add(ps);
                } else if (p instanceof YList pl) {
                    pl.items().stream().filter(YScalar.class::isInstance).map(YScalar.class::cast).forEach(paths::add);
                }
                if (m.get("project_directory") instanceof YScalar pd) {
                    includedProjectDir = dir.resolve(pd.text()).normalize();
                }
                if (m.get("env_file") != null) {
                    Map<String, String> merged = new LinkedHashMap<>();
                    for (YScalar ef : scalars(m.get("env_file"))) {
                        merged.putAll(readEnvFile(dir.resolve(ef.text()), env::get));
                    }
                    merged.putAll(request.environment());
                    includedEnv = merged;
                }
            }
            if (paths.isEmpty()) {
                problems.error(item.position(), path, "an include names a file (a path, or {path: ...})");
                continue;
            }
            YMap includedModel = null;
            for (YScalar p : paths) {
                Path file = dir.resolve(p.text()).normalize();
                Path ownDir = includedProjectDir != null ? includedProjectDir : file.getParent();
                if (!Files.isRegularFile(file)) {
                    problems.error(p.position(), path, "included file " + file + " does not exist");
                    continue;
                }
                YMap one = loadFile(file, ownDir, includedEnv, including);
                includedModel = includedModel == null ? one : ComposeMerger.merge(includedModel, one);
            }
            if (includedModel != null) {
                result = addResources(result, includedModel, item.position(), path);
            }
        }
        return result;
    }

    private YMap addResources(YMap into, YMap included, SourcePosition at, String path) {
        Map<String, YNode> entries = new LinkedHashMap<>(into.entries());
        Map<String, SourcePosition> keys = new LinkedHashMap<>(into.keyPositions());
        for (String section : RESOURCE_SECTIONS) {
            if (!(included.get(section) instanceof YMap add)) {
                continue;
            }
            YMap existing = into.get(section) instanceof YMap e ? e : new YMap(Map.of(), Map.of(), at, null);
            Map<String, YNode> sectionEntries = new LinkedHashMap<>(existing.entries());
            Map<String, SourcePosition> sectionKeys = new LinkedHashMap<>(existing.keyPositions());
            add.entries().forEach((name, value) -> {
                if (sectionEntries.containsKey(name)) {
                    problems.error(existing.keyPosition(name), section + "." + name, "also defined by the included file at "
                            + add.keyPosition(name) + " (" + path + "); an include cannot override");
                } else {
                    sectionEntries.put(name, value);
                    sectionKeys.put(name, add.keyPosition(name));
                }
            });
            entries.put(section, new YMap(sectionEntries, sectionKeys, existing.position(), null));
            keys.putIfAbsent(section, at);
        }
        return new YMap(entries, keys, into.position(), null);
    }

    static List<YScalar> scalars(YNode node) {
        if (node instanceof YScalar s) {
            return List.of(s);
        }
        if (node instanceof YList l) {
            return l.items().stream().filter(YScalar.class::isInstance).map(YScalar.class::cast).toList();
        }
        return List.of();
    }

    private String projectName(YMap model) {
        String chosen = request.projectName();
        SourcePosition at = new SourcePosition(request.files().get(0).toString(), 1, 1);
        String from = "-p";
        if (chosen == null && environment.get("COMPOSE_PROJECT_NAME") != null && !environment.get("COMPOSE_PROJECT_NAME").isEmpty()) {
            chosen = environment.get("COMPOSE_PROJECT_NAME");
            from = "COMPOSE_PROJECT_NAME";
        }
        if (chosen == null && model.get("name") instanceof YScalar n && !n.text().isEmpty()) {
            chosen = n.text();
            at = n.position();
            from = "name";
        }
        if (chosen == null) {
            chosen = projectDir.getFileName() == null ? "" : projectDir.getFileName().toString();
            from = "the project directory " + projectDir;
        }
        // Compose keeps '_' in project names; object names are DNS labels, so the Stack takes the label.
        String normalised = Names.label(Names.projectName(chosen));
        if (normalised.isEmpty()) {
            throw new ComposeException(at, "name", "project name \"" + chosen + "\" (from " + from
                    + ") has no letter or digit; give one with -p");
        }
        return normalised;
    }

    private Set<String> activeProfiles() {
        Set<String> active = new LinkedHashSet<>(request.profiles());
        String fromEnv = environment.get("COMPOSE_PROFILES");
        if (fromEnv != null) {
            for (String p : fromEnv.split(",")) {
                if (!p.isBlank()) {
                    active.add(p.strip());
                }
            }
        }
        return active;
    }
}
