package dev.hypr.controller.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.host.HostProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A fresh machine runs everything: each program hyprd, hyprctl and the tests start comes from
 * a package scripts/install-deps.sh installs.
 */
class HostProgramsInstalledTest {
    private static final Path INSTALL_DEPS = Path.of(System.getProperty("hypr.root", "..")).resolve("scripts/install-deps.sh");
    private static final Pattern PACKAGES = Pattern.compile("(?ms)^PACKAGES=\\((.*?)^\\)");

    /** The words of install-deps.sh's {@code PACKAGES=( ... )} array, comments dropped. */
    static Set<String> installedPackages(String script) {
        Matcher m = PACKAGES.matcher(script);
        assertTrue(m.find(), "no PACKAGES=( ... ) array in " + INSTALL_DEPS);
        Set<String> out = new LinkedHashSet<>();
        for (String line : m.group(1).split("\n")) {
            String code = line.replaceFirst("#.*", "").trim();
            if (!code.isEmpty()) {
                out.addAll(List.of(code.split("\\s+")));
            }
        }
        return out;
    }

    /** Program → package, for every registered program Debian packages. */
    static TreeMap<String, String> required() {
        TreeMap<String, String> out = new TreeMap<>();
        for (HostProgram p : HostProgram.values()) {
            p.debianPackage().ifPresent(pkg -> out.put(p.program(), pkg));
        }
        for (TestProgram p : TestProgram.values()) {
            p.debianPackage().ifPresent(pkg -> out.put(p.program() + " (tests)", pkg));
        }
        return out;
    }

    static List<String> missing(Set<String> installed) {
        List<String> out = new ArrayList<>();
        required().forEach((program, pkg) -> {
            if (!installed.contains(pkg)) {
                out.add(program + " needs package " + pkg);
            }
        });
        return out;
    }

    @Test
    void installDepsInstallsThePackageOfEveryProgramTheCodeAndTheTestsRun() throws Exception {
        Set<String> installed = installedPackages(Files.readString(INSTALL_DEPS));
        assertEquals(List.of(), missing(installed), "add these packages to PACKAGES in " + INSTALL_DEPS);
    }

    @Test
    void droppingAPackageFromTheListIsCaught() throws Exception {
        String script = Files.readString(INSTALL_DEPS);
        // the check above is not vacuous: take nftables out of the real script and it names nft
        String without = script.replaceFirst("(?m)^(\\s*iproute2) nftables\\b", "$1");
        assertFalse(without.equals(script), "the test's edit did not apply: is nftables still listed after iproute2?");
        List<String> missing = missing(installedPackages(without));
        assertEquals(List.of("nft needs package nftables"), missing);
    }

    /** Programs are named through the registry: no ProcessBuilder in main code starts from a string literal. */
    @Test
    void mainCodeStartsNoProgramByLiteralName() throws Exception {
        Path root = Path.of(System.getProperty("hypr.root", ".."));
        Pattern literalStart = Pattern.compile("new ProcessBuilder\\(\\s*(List\\.of\\(\\s*)?\"");
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("controller", "hyprctl", "api-types")) {
            try (var files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (literalStart.matcher(Files.readString(f)).find()) {
                        offenders.add(root.relativize(f).toString());
                    }
                }
            }
        }
        assertEquals(List.of(), offenders, "name the program through dev.hypr.api.host.HostProgram");
    }

    @Test
    void theNetworkingProgramsAreRegisteredWithTheirPackages() {
        assertEquals("nft not found (install nftables)", HostProgram.NFT.notFoundMessage());
        assertEquals("ip not found (install iproute2)", HostProgram.IP.notFoundMessage());
    }
}
