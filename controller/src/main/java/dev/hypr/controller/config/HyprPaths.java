package dev.hypr.controller.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where hyprd keeps state and its socket. Root gets the system paths of the original
 * (/var/lib/hypr, /run/hypr); other users get XDG paths; HYPR_HOME and HYPR_SOCKET override.
 */
public record HyprPaths(Path home, Path socket) {

    public static HyprPaths fromEnvironment() {
        return resolve(System.getenv(), isRoot());
    }

    static HyprPaths resolve(Map<String, String> env, boolean root) {
        String userHome = System.getProperty("user.home");
        Path home;
        if (notBlank(env.get("HYPR_HOME"))) {
            home = Path.of(env.get("HYPR_HOME"));
        } else if (root) {
            home = Path.of("/var/lib/hypr");
        } else if (notBlank(env.get("XDG_DATA_HOME"))) {
            home = Path.of(env.get("XDG_DATA_HOME"), "hypr");
        } else {
            home = Path.of(userHome, ".local", "share", "hypr");
        }
        Path socket;
        if (notBlank(env.get("HYPR_SOCKET"))) {
            socket = Path.of(env.get("HYPR_SOCKET"));
        } else if (root) {
            socket = Path.of("/run/hypr/hypr.sock");
        } else if (notBlank(env.get("XDG_RUNTIME_DIR"))) {
            socket = Path.of(env.get("XDG_RUNTIME_DIR"), "hypr", "hypr.sock");
        } else {
            socket = Path.of("/tmp", "hypr-" + System.getProperty("user.name"), "hypr.sock");
        }
        return new HyprPaths(home.toAbsolutePath(), socket.toAbsolutePath());
    }

    public Path database() {
        return home.resolve("hypr.db");
    }

    public Path images() {
        return home.resolve("images");
    }

    public Path volumes() {
        return home.resolve("volumes");
    }

    /** A Volume's ext4 disk image (sparse, 0600). */
    public Path volumeImage(String volume) {
        return volumes().resolve(volume + ".ext4");
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path cache() {
        return home.resolve("cache");
    }

    /** The REST API's bearer token (0600, new at every start). */
    public Path restToken() {
        return home.resolve("rest-token");
    }

    /** Per-VM runtime directories (sockets, pid files, console). */
    public Path runtime() {
        return home.resolve("runtime");
    }

    /** hyprd's own small state files (markers such as "the default network was created once"). */
    public Path state() {
        return home.resolve("state");
    }

    /** Every VM's runtime directory lives here, one per VM name. */
    public Path vmsRuntime() {
        return runtime().resolve("vms");
    }

    /** One VM's runtime directory: QMP/agent sockets, pid file, console log, launch command. */
    public Path vmRuntimeDir(String vm) {
        return vmsRuntime().resolve(vm);
    }

    /** A VM's workload log (stdout and stderr of the workload, rotated). */
    public Path vmLog(String vm) {
        return logs().resolve(vm + ".log");
    }

    /** Squashfs images packed from directory rootfs. */
    public Path rootfsCache() {
        return cache().resolve("rootfs");
    }

    /** A Sync's git checkout. */
    public Path syncCheckout(String sync) {
        return cache().resolve("sync").resolve(sync);
    }

    /** Registry credentials (0600). */
    public Path registryAuth() {
        return home.resolve("auth.json");
    }

    /**
     * The home and each state directory 0700 (explicitly: the JVM may run under any umask), an
     * empty hypr.db 0600 so SQLite's WAL and SHM inherit its mode; the socket's directory as the
     * system makes it (the socket's own mode is the API's access policy).
     */
    public void createDirectories() throws java.io.IOException {
        for (Path p : new Path[] {home, images(), volumes(), logs(), cache(), runtime()}) {
            OwnerOnly.directory(p);
        }
        OwnerOnly.file(database());
        Files.createDirectories(socket.getParent());
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
