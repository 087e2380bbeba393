package dev.hypr.controller.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.model.GuestFile;
import dev.hypr.api.model.SecretFileMount;
import dev.hypr.api.model.StackFile;
import dev.hypr.api.model.StackService;
import dev.hypr.api.model.StackSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** compose secrets at any target, configs, stop_signal and on-failure:N reach the VM spec; bad paths are problems. */
class VmTemplatesTest {
    private static StackService service(String restart, Integer maxRestarts, String stopSignal, List<StackFile> secrets,
                                        List<StackFile> configs) {
        return new StackService("web", null, "/srv/rootfs.img", null, null, null, null, null, null, null, null, null, null, restart,
                null, null, null, null, null, null, null, null, maxRestarts, stopSignal, null, secrets, configs);
    }

    private static VmTemplates.Built build(StackService s) {
        return VmTemplates.build("shop", new StackSpec(List.of(s), null, null), s, "shop-web-1");
    }

    @Test
    void secretsKeepTargetOwnerAndModeAndConfigsBecomeFiles() {
        var built = build(service(null, null, null, List.of(
                        new StackFile("db", "/etc/app/db.pw", "/srv/db.txt", null, null, 0, 101, "0440"),
                        new StackFile("api-key", "/run/secrets/api_key", "/srv/key", null, null)),
                List.of(new StackFile("site", "/etc/nginx/nginx.conf", "/srv/nginx.conf", null, null, null, null, "0644"),
                        new StackFile("motd", "/motd", null, null, "hello\n", 1000, null, null))));
        assertEquals(List.of(), built.problems());
        assertEquals(List.of(new SecretFileMount("db", "/srv/db.txt", "/etc/app/db.pw", 0, 101, "0440"),
                new SecretFileMount("api_key", "/srv/key")), built.spec().secrets());
        assertEquals(List.of(new GuestFile("/etc/nginx/nginx.conf", null, "/srv/nginx.conf", null, null, "0644"),
                new GuestFile("/motd", "hello\n", null, 1000, null, null)), built.spec().files());
    }

    @Test
    void stopSignalAndRestartLimitReachTheVmAndSigtermStaysImplicit() {
        var quit = build(service("OnFailure", 3, "SIGQUIT", null, null)).spec();
        assertEquals("SIGQUIT", quit.stopSignal());
        assertEquals(3, quit.maxRestarts());
        var term = build(service("Always", 3, "SIGTERM", null, null)).spec();
        assertNull(term.stopSignal(), "the default: the VM spec (and its hash) stays as before stop_signal existed");
        assertNull(term.maxRestarts(), "a restart limit only limits OnFailure");
    }

    @Test
    void collidingPathsAnEnvironmentConfigAndABadSignalAreProblems() {
        var built = build(service(null, null, "SIGNOPE", List.of(new StackFile("a", "/etc/app/x", "/srv/a", null, null)),
                List.of(new StackFile("b", "/etc/app/x", null, null, "x"), new StackFile("c", "/c", null, "CONF_C", null))));
        assertNull(built.spec());
        String all = String.join("\n", built.problems());
        assertTrue(all.contains("stopSignal \"SIGNOPE\" is not a signal"), all);
        assertTrue(all.contains("config c comes from the client's environment variable CONF_C"), all);
        assertTrue(all.contains("spec.files[0].path: \"/etc/app/x\" is already the path of spec.secrets[0]"), all);
    }
}
