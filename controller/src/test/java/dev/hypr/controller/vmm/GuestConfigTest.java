package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestConfigTest {
    @Test
    void encodesNulSeparatedKeyValuesAsUrlSafeBase64() {
        String encoded = GuestConfig.workload("httpd", "-f", "-h", "/www")
                .withEnv(List.of("A=b c"))
                .withHostname("web")
                .withNetwork("10.0.2.15/24", "10.0.2.2", List.of("10.0.2.3"))
                .withRestartPolicy(GuestConfig.RestartPolicy.ON_FAILURE)
                .encode();
        assertFalse(encoded.contains("=") || encoded.contains("+") || encoded.contains("/"), encoded);
        String decoded = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        assertEquals("arg=httpd\0arg=-f\0arg=-h\0arg=/www\0env=A=b c\0hostname=web\0ip=10.0.2.15/24\0gw=10.0.2.2\0"
                + "dns=10.0.2.3\0restart=on-failure", decoded);
    }

    @Test
    void rejectsNulInValues() {
        assertThrows(IllegalArgumentException.class, () -> GuestConfig.workload("echo", "a\0b").encode());
    }
}
