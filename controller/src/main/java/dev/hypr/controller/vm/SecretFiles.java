package dev.hypr.controller.vm;

import dev.hypr.api.model.EnvVar;
import dev.hypr.api.model.SecretFileMount;
import dev.hypr.controller.vmm.GuestConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the host files a VM's secrets come from (env valueFrom.secretFile, spec.secrets), at
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
        List<GuestConfig.SecretFile> files = new ArrayList<>();
        for (SecretFileMount s : secrets == null ? List.<SecretFileMount>of() : secrets) {
            files.add(new GuestConfig.SecretFile(s.name(), read("spec.secrets[" + s.name() + "].file", s.file())));
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
