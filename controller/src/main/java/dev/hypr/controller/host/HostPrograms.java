package dev.hypr.controller.host;

import dev.hypr.api.host.HostProgram;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds {@link HostProgram}s on hyprd's PATH, as {@link ProcessBuilder} will. Not cached: a
 * package installed while hyprd runs is found by the next look (a few stat calls).
 */
public final class HostPrograms {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private HostPrograms() {
    }

    public static Optional<Path> locate(HostProgram program) {
        return locate(program.program());
    }

    /** A program name (or path) on PATH, executable. */
    public static Optional<Path> locate(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null || path.isEmpty() ? DEFAULT_PATH : path).split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static boolean installed(HostProgram program) {
        return locate(program).isPresent();
    }

    /** Those of {@code programs} that are not installed. */
    public static List<HostProgram> missing(Collection<HostProgram> programs) {
        return programs.stream().filter(p -> !installed(p)).toList();
    }

    /** "nft not found (install nftables); ip not found (install iproute2)". */
    public static String describeMissing(List<HostProgram> missing) {
        return missing.stream().map(HostProgram::notFoundMessage).collect(Collectors.joining("; "));
    }

    /**
     * Why starting {@code program} (the registered one, or a configured binary standing in for
     * it) failed: "not found (install …)" when it is missing, else the system's own words.
     */
    public static String startFailure(HostProgram program, String binary, IOException e) {
        if (locate(binary).isEmpty()) {
            return binary.equals(program.program()) ? program.notFoundMessage() : binary + " not found (configured in place of "
                    + program.program() + ")";
        }
        return "cannot run " + binary + ": " + e.getMessage();
    }
}
