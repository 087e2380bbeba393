package dev.hypr.controller.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * Who may use the API socket: mode 0660, group {@code hypr} when such a group exists (as
 * docker's {@code docker} group), else the daemon's own group. Socket access is root access:
 * the API creates VMs with any host path as rootfs or volume.
 */
final class SocketAccess {
    static final String GROUP = "hypr";

    private SocketAccess() {
    }

    static void restrict(Path socket) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
        try {
            GroupPrincipal group = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(GROUP);
            view.setGroup(group);
            letGroupThrough(socket.getParent(), group);
        } catch (UserPrincipalNotFoundException noSuchGroup) {
            // no hypr group: root (and the daemon's group) only
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    }

    /**
     * The group must be able to reach the socket: its own directory (/run/hypr, which hyprd
     * creates under umask 077) gets the group and g+x. Only a directory named hypr that hyprd's
     * user owns: a socket placed in /tmp or a home directory leaves that directory alone.
     */
    private static void letGroupThrough(Path dir, GroupPrincipal group) throws IOException {
        if (dir == null || dir.getFileName() == null || !dir.getFileName().toString().equals("hypr")) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        if (!view.readAttributes().owner().equals(Files.getOwner(Path.of("/proc/self")))) {
            return;
        }
        view.setGroup(group);
        Set<PosixFilePermission> perms = EnumSet.copyOf(view.readAttributes().permissions());
        perms.add(PosixFilePermission.GROUP_EXECUTE);
        view.setPermissions(perms);
    }

    /** e.g. "root:hypr 0660", for the log. */
    static String describe(Path socket) {
        try {
            PosixFileAttributes a = Files.readAttributes(socket, PosixFileAttributes.class);
            return a.owner().getName() + ":" + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions());
        } catch (IOException e) {
            return "?";
        }
    }
}
