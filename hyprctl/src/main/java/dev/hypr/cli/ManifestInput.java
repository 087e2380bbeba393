package dev.hypr.cli;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.LocalPaths;
import dev.hypr.api.codec.ManifestReader;
import dev.hypr.api.codec.ReadResult;
import dev.hypr.api.validation.ObjectValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects named by {@code -f FILE|DIR|-}: read all of them, validate all of them, and
 * report every problem at once before anything is sent to hyprd.
 */
public final class ManifestInput {
    /** What {@code -f} yielded: objects (with defaults applied when validated) or errors. */
    public record Loaded(List<Manifest> manifests, List<ManifestError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private ManifestInput() {
    }

    public static Loaded load(List<String> files, boolean recursive, InputStream stdin, boolean validate) {
        if (files == null || files.isEmpty()) {
            throw new CliException("must specify one of -f FILE, -f DIR or -f -", 2);
        }
        List<Manifest> manifests = new ArrayList<>();
        List<ManifestError> errors = new ArrayList<>();
        boolean stdinRead = false;
        for (String f : files) {
            ReadResult r;
            if ("-".equals(f)) {
                if (stdinRead) {
                    throw new CliException("-f - can be given only once", 2);
                }
                stdinRead = true;
                r = ManifestReader.read("<stdin>", readAll(stdin));
                // relative host paths on stdin mean "relative to where I run hyprctl"
                r.manifests().forEach(m -> LocalPaths.absolutize(m, Path.of("")));
            } else {
                Path path = Path.of(f);
                if (!Files.exists(path)) {
                    throw new CliException("the path \"" + f + "\" does not exist");
                }
                if (!Files.isReadable(path)) {
                    throw new CliException("the path \"" + f + "\" cannot be read (permission denied)");
                }
                r = ManifestReader.readPath(path, recursive);
            }
            manifests.addAll(r.manifests());
            errors.addAll(r.errors());
        }
        if (validate && !manifests.isEmpty()) {
            errors.addAll(ObjectValidator.standard().validateAll(manifests));
        }
        if (errors.isEmpty() && manifests.isEmpty()) {
            throw new CliException("no objects found in " + String.join(", ", files));
        }
        return new Loaded(List.copyOf(manifests), List.copyOf(errors));
    }

    /** Loads, and on any error prints every one of them and fails with {@code consequence}. */
    public static List<Manifest> loadOrFail(List<String> files, boolean recursive, InputStream stdin,
            boolean validate, PrintWriter err, String consequence) {
        Loaded loaded = load(files, recursive, stdin, validate);
        if (!loaded.ok()) {
            for (ManifestError e : loaded.errors()) {
                err.println(e.format());
            }
            int n = loaded.errors().size();
            throw new CliException(n + (n == 1 ? " error" : " errors") + "; " + consequence);
        }
        return loaded.manifests();
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CliException("cannot read standard input: " + e.getMessage());
        }
    }
}
