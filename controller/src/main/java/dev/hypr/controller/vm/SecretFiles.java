package dev.hypr.controller.vm;

import dev.hypr.api.model.EnvVar;
import dev.hypr.api.model.GuestFile;
import dev.hypr.api.model.SecretFileMount;
import dev.hypr.controller.vmm.GuestConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the host files a VM's secrets and files come from (env valueFrom.secretFile,
 * spec.secrets, spec.files hostPath), at
 * each boot. Errors name the field and the file, never the content, because they end up in a
 * condition, an event and hyprd's log.
 */
final class SecretFiles {
    /** A secret file larger than this is refused: the whole workload config must fit one 1 MiB agent frame. */
    static final int MAX_BYTES = 512 * 1024;

    private SecretFiles() {
    }

    /** The value of an env var whose valueFrom names a secret file: the file's bytes, unchanged (a trailing newline stays). */
    static String envValue(EnvVar e) {
        String field = "spec.env[" + e.name() + "].valueFrom.secretFile";
        byte[] content = read(field, e.valueFrom().secretFile());
        for (byte b : content) {
            if (b == 0) {
                throw new VmConfigException(VmConfigException.SECRET_UNREADABLE,
                        field + " " + e.valueFrom().secretFile() + " contains a NUL byte, which an environment variable cannot hold");
            }
        }
        return new String(content, StandardCharsets.UTF_8);
    }

    static List<GuestConfig.SecretFile> read(List<SecretFileMount> secrets) {
        return read(secrets, null);
    }

    /** spec.secrets, then spec.files (inline content or read from hostPath): every file Kestrel writes. */
    static List<GuestConfig.SecretFile> read(List<SecretFileMount> secrets, List<GuestFile> guestFiles) {
        List<GuestConfig.SecretFile> files = new ArrayList<>();
        for (SecretFileMount s : secrets == null ? List.<SecretFileMount>of() : secrets) {
            files.add(new GuestConfig.SecretFile(s.name(), read("spec.secrets[" + s.name() + "].file", s.file()), s.mountPath(),
                    s.uid(), s.gid(), s.mode()));
        }
        for (GuestFile f : guestFiles == null ? List.<GuestFile>of() : guestFiles) {
            byte[] content = f.content() != null ? f.content().getBytes(StandardCharsets.UTF_8)
                    : read("spec.files[" + f.path() + "].hostPath", f.hostPath());
            files.add(new GuestConfig.SecretFile(f.path(), content, f.path(), f.uid(), f.gid(),
                    f.mode() != null ? f.mode() : GuestFile.DEFAULT_MODE));
        }
        return files;
    }

    private static byte[] read(String field, String file) {
        if (file == null || !file.startsWith("/")) {
            throw new VmConfigException(VmConfigException.SECRET_UNREADABLE, field + " \"" + file + "\" must be an absolute path");
        }
        Path path = Path.of(file);
        try {
            if (Files.isDirectory(path)) {
                throw new VmConfigException(VmConfigException.SECRET_UNREADABLE, field + " " + file + " is a directory, not a file");
            }
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new VmConfigException(VmConfigException.SECRET_UNREADABLE,
                        field + " " + file + " is " + size + " bytes; at most " + MAX_BYTES + " are delivered");
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new VmConfigException(VmConfigException.SECRET_UNREADABLE, field + " " + file + " cannot be read: " + why(e));
        }
    }

    private static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName();
    }
}
