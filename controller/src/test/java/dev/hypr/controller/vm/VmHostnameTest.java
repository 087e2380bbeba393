package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.api.model.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spec.hostname is the guest's host name; without it the VM name is. */
class VmHostnameTest {
    @TempDir
    Path tmp;

    private Optional<String> guestHostname(String hostname) throws Exception {
        Path k = Files.writeString(tmp.resolve("vmlinux"), "k");
        VmSpec spec = new VmSpec(null, "/r.squashfs", null, List.of("sh"), null, null, null, null, null, 128, null, "none", null,
                null, null, null, null, null, null, hostname);
        return VmLaunchSpecs.build("web", spec, tmp.resolve("run"), k, k, tmp.resolve("r"), 0).guest().hostname();
    }

    @Test
    void specHostnameIsTheGuestsHostname() throws Exception {
        assertEquals(Optional.of("database"), guestHostname("database"));
    }

    @Test
    void withoutSpecHostnameTheVmNameIs() throws Exception {
        assertEquals(Optional.of("web"), guestHostname(null));
    }
}
