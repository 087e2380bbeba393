package dev.hypr.api.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Decodes multi-document YAML or JSON into objects with the line:column of every node.
 * JSON goes through the YAML parser too (YAML 1.2 is a superset), so both report positions alike.
 */
public final class ManifestReader {
    private static final CoreSchema SCHEMA = new CoreSchema();

    private ManifestReader() {
    }

    /** Reads one file's content; {@code source} names it in positions. Never throws for bad input. */
    public static ReadResult read(String source, byte[] content) {
        ReadResult result = readDocuments(source, content);
        if (result.ok() && result.manifests().isEmpty()) {
            return failure(source, "no objects (the file is empty or holds only comments)");
        }
        return result;
    }

    /**
     * A file, or every *.yaml/*.yml/*.json in a directory (sub-directories when recursive), sorted by
     * path. Relative host paths in the objects are made absolute against each file's directory.
     */
    public static ReadResult readPath(Path fileOrDirectory, boolean recursive) {
        if (!Files.isDirectory(fileOrDirectory)) {
            ReadResult one = readFile(fileOrDirectory).map(content -> read(fileOrDirectory.toString(), content),
                    error -> new ReadResult(List.of(), List.of(error)));
            LocalPaths.absolutizeAll(one.manifests(), fileOrDirectory);
            return one;
        }
        List<Path> files;
        try {
            files = manifestFiles(fileOrDirectory, recursive);
        } catch (IOException e) {
            return failure(fileOrDirectory.toString(), "cannot list directory: " + e.getMessage());
        }
        List<Manifest> manifests = new ArrayList<>();
        List<ManifestError> errors = new ArrayList<>();
        for (Path file : files) {
            // An empty file in a directory is not an error; a directory with no objects at all is.
            ReadResult one = readFile(file).map(content -> readDocuments(file.toString(), content),
                    error -> new ReadResult(List.of(), List.of(error)));
            LocalPaths.absolutizeAll(one.manifests(), file);
            manifests.addAll(one.manifests());
            errors.addAll(one.errors());
        }
        if (errors.isEmpty() && manifests.isEmpty()) {
            errors.add(errorAtStart(fileOrDirectory.toString(), "no objects (no *.yaml, *.yml or *.json file holds one)"));
        }
        return new ReadResult(List.copyOf(manifests), List.copyOf(errors));
    }

    /** Whether a file name ends in .yaml, .yml or .json (any case). */
    public static boolean isManifestFileName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private static List<Path> manifestFiles(Path directory, boolean recursive) throws IOException {
        try (Stream<Path> paths = recursive ? Files.walk(directory) : Files.list(directory)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> isManifestFileName(p.getFileName().toString()))
                    .sorted()
                    .toList();
        }
    }

    private static FileContent readFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > ManifestText.MAX_BYTES) {
                return FileContent.failed(new ManifestError(new SourcePosition(file.toString(), 1, 1), "", "",
                        "file is " + size / (1024 * 1024) + " MiB, larger than the 32 MiB limit for manifests"));
            }
            return FileContent.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return FileContent.failed(errorAtStart(file.toString(), "no such file or directory"));
        } catch (IOException e) {
            return FileContent.failed(errorAtStart(file.toString(), "cannot read: " + e.getMessage()));
        }
    }

    /**
     * Like {@link #read} but an empty file (or one of only comments) is no error: a file in a
     * directory of manifests may hold nothing yet.
     */
    public static ReadResult readDocuments(String source, byte[] content) {
        List<Manifest> manifests = new ArrayList<>();
        try {
            String text = jsonTabsAsSpaces(source, ManifestText.decode(source, content));
            LoadSettings settings = settings(source, text.length());
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            int documentNumber = 0;
            while (composer.hasNext()) {
                Node document = composer.next();
                documentNumber++;
                if (!isEmptyDocument(document)) {
                    manifests.add(new YamlNodeConverter(source, SCHEMA.getSchemaTagConstructors())
                            .toManifest(document, documentNumber));
                }
            }
        } catch (ManifestFormatException e) {
            return new ReadResult(List.copyOf(manifests), List.of(e.toError()));
        } catch (MarkedYamlEngineException e) {
            return new ReadResult(List.copyOf(manifests), List.of(syntaxError(source, e)));
        } catch (YamlEngineException e) {
            return new ReadResult(List.copyOf(manifests), List.of(errorAtStart(source, "invalid YAML: " + e.getMessage())));
        }
        return new ReadResult(List.copyOf(manifests), List.of());
    }

    private static LoadSettings settings(String source, int length) {
        return LoadSettings.builder()
                .setLabel(source)
                // The reader re-copies its window for every chunk of a long token, which is quadratic
                // with the default 1 KiB chunks (minutes for one 10 MB value); the text is in memory anyway.
                .setBufferSize(Math.max(1024, length + 1))
                .setSchema(SCHEMA)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                // The default (3 MB) is below the 32 MiB file limit; the file limit is what bounds memory.
                .setCodePointLimit(64 * 1024 * 1024)
                .build();
    }

    /**
     * JSON permits tabs as indentation, YAML does not. In JSON a tab can only appear as whitespace
     * (inside strings it must be escaped), and a space keeps every column unchanged.
     */
    private static String jsonTabsAsSpaces(String source, String text) {
        boolean json = source.toLowerCase(Locale.ROOT).endsWith(".json") || text.stripLeading().startsWith("{");
        return json ? text.replace('\t', ' ') : text;
    }

    /** "---" followed by nothing (or only comments) composes to a null scalar: skip it. */
    private static boolean isEmptyDocument(Node document) {
        return document instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag()) && scalar.getValue().isEmpty();
    }

    private static ManifestError syntaxError(String source, MarkedYamlEngineException e) {
        Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
        SourcePosition at = mark == null ? new SourcePosition(source, 1, 1)
                : new SourcePosition(source, mark.getLine() + 1, mark.getColumn() + 1);
        String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
        String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
        return new ManifestError(at, "", "", "YAML syntax error: " + problem + context);
    }

    private static ManifestError errorAtStart(String source, String message) {
        return new ManifestError(new SourcePosition(source, 1, 1), "", "", message);
    }

    private static ReadResult failure(String source, String message) {
        return new ReadResult(List.of(), List.of(errorAtStart(source, message)));
    }

    /** The bytes of a file, or why they could not be read. */
    private record FileContent(byte[] bytes, ManifestError error) {
        static FileContent of(byte[] bytes) {
            return new FileContent(bytes, null);
        }

        static FileContent failed(ManifestError error) {
            return new FileContent(null, error);
        }

        ReadResult map(java.util.function.Function<byte[], ReadResult> onBytes,
                       java.util.function.Function<ManifestError, ReadResult> onError) {
            return error == null ? onBytes.apply(bytes) : onError.apply(error);
        }
    }
}
