package dev.hypr.controller.vm;

import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.runtime.TerminalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kestrel takes a numeric {@code uid[:gid]}; images often say {@code USER nginx} or
 * {@code app:staff}. Names are looked up in the image's own /etc/passwd and /etc/group, read
 * straight out of the squashfs with {@code unsquashfs -cat} (no mount, no extraction).
 */
public final class ImageUsers {
    /** Maps a user spec to {@code uid[:gid]}; throws {@link TerminalException} when it cannot. */
    @FunctionalInterface
    public interface Lookup {
        String numeric(String user);
    }

    /** For a plain rootfs there is no image to look in: only numbers are accepted. */
    public static final Lookup NUMERIC_ONLY = user -> resolve(user, Map.of(), Map.of(), "the rootfs");

    public Lookup forImage(Path squashfs) {
        return user -> {
            if (isNumeric(user)) {
                return user; // the common case costs no process
            }
            return resolve(user, ids(cat(squashfs, "etc/passwd"), true), ids(cat(squashfs, "etc/group"), false), "the image");
        };
    }

    static String resolve(String user, Map<String, String[]> passwd, Map<String, String[]> groups, String where) {
        String[] parts = user.split(":", 2);
        String uid = parts[0];
        String gid = parts.length > 1 ? parts[1] : null;
        if (!isNumeric(uid)) {
            String[] entry = passwd.get(uid);
            if (entry == null) {
                throw new TerminalException("user \"" + uid + "\" is not in /etc/passwd of " + where + "; use a numeric uid");
            }
            uid = entry[0];
            if (gid == null) {
                gid = entry[1]; // the user's primary group, as docker does
            }
        }
        if (gid != null && !isNumeric(gid)) {
            String[] entry = groups.get(gid);
            if (entry == null) {
                throw new TerminalException("group \"" + gid + "\" is not in /etc/group of " + where + "; use a numeric gid");
            }
            gid = entry[0];
        }
        return gid == null ? uid : uid + ":" + gid;
    }

    /** name → [id, primary gid] from passwd ({@code name:x:uid:gid:...}) or group ({@code name:x:gid:...}) lines. */
    static Map<String, String[]> ids(String file, boolean passwd) {
        Map<String, String[]> out = new HashMap<>();
        for (String line : file.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= (passwd ? 4 : 3) && isNumeric(f[2])) {
                out.putIfAbsent(f[0], new String[] {f[2], passwd ? f[3] : f[2]});
            }
        }
        return out;
    }

    private static boolean isNumeric(String s) {
        return s.matches("\\d+(:\\d+)?");
    }

    private static String cat(Path squashfs, String file) {
        try {
            Process p = new ProcessBuilder(List.of(HostProgram.UNSQUASHFS.program(), "-cat", squashfs.toString(), file))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
