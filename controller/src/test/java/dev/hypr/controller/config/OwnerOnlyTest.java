package dev.hypr.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static Path make(Path p, String mode, boolean dir) throws Exception {
        if (dir) {
            Files.createDirectories(p);
        } else {
            Files.writeString(p, "secret");
        }
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void tightenRemovesGroupAndOtherAccessButKeepsTheSocketAndLinkTargets() throws Exception {
        Path home = make(tmp.resolve("home"), "rwxr-xr-x", true);
        Path logs = make(home.resolve("logs"), "rwxr-xr-x", true);
        Path log = make(logs.resolve("web.log"), "rw-r--r--", false);
        Path exe = make(home.resolve("tool"), "rwxrwxr-x", false);
        Path socket = make(home.resolve("hypr.sock"), "rw-rw----", false);
        Path outside = make(tmp.resolve("outside"), "rw-r--r--", false);
        Files.createSymbolicLink(home.resolve("link"), outside);

        OwnerOnly.Tightened t = OwnerOnly.tighten(home, Set.of(socket));

        assertEquals(Map.of("home", "rwx------", "logs", "rwx------", "log", "rw-------", "exe", "rwx------",
                "socket", "rw-rw----", "outside", "rw-r--r--"),
                Map.of("home", mode(home), "logs", mode(logs), "log", mode(log), "exe", mode(exe), "socket", mode(socket),
                        "outside", mode(outside)));
        assertEquals(4, t.entries(), "home, logs, web.log, tool");
        assertEquals(0, OwnerOnly.tighten(home, Set.of(socket)).entries(), "nothing left to change");
    }

    @Test
    void createDirectoriesMakesEveryStateDirectoryOwnerOnlyAndTheDatabase0600() throws Exception {
        HyprPaths paths = new HyprPaths(tmp.resolve("home"), tmp.resolve("run/hypr.sock"));
        make(tmp.resolve("home"), "rwxr-xr-x", true); // as an older hyprd left it
        paths.createDirectories();
        for (Path d : new Path[] {paths.home(), paths.images(), paths.volumes(), paths.logs(), paths.cache(), paths.runtime()}) {
            assertEquals("rwx------", mode(d), d.toString());
        }
        assertEquals("rw-------", mode(paths.database()));
        assertEquals(0, Files.size(paths.database()), "an empty file is an empty SQLite database");
    }
}
