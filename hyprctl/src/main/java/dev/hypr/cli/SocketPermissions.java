package dev.hypr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** The words for a socket that refused us: who may use it, and how to become one of them. */
final class SocketPermissions {
    private SocketPermissions() {
    }

    /** e.g. "permission denied on the socket /run/hypr/hypr.sock (root:root 0660): run as root or join the 'hypr' group". */
    static String denied(String socket) {
        String who;
        try {
            PosixFileAttributes a = Files.readAttributes(Path.of(socket), PosixFileAttributes.class);
            who = a.owner().getName() + ":" + a.group().getName() + " " + octal(a.permissions());
        } catch (IOException | RuntimeException e) {
            who = "its directory is not accessible to you";
        }
        return "permission denied on the socket " + socket + " (" + who + "): run as root or join the 'hypr' group";
    }

    static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
