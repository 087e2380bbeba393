package dev.hypr.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hypr.cli.CliException;
import org.junit.jupiter.api.Test;

class RunPortsTest {
    @Test
    void hostAndGuestPort() {
        assertEquals("{\"hostPort\":8080,\"guestPort\":80,\"protocol\":\"TCP\"}", RunPorts.parse("8080:80").toString());
    }

    @Test
    void hostIpAndProtocol() {
        assertEquals("{\"hostIP\":\"127.0.0.1\",\"hostPort\":5353,\"guestPort\":53,\"protocol\":\"UDP\"}",
                RunPorts.parse("127.0.0.1:5353:53/udp").toString());
    }

    @Test
    void badInputIsAUsageError() {
        assertEquals(2, assertThrows(CliException.class, () -> RunPorts.parse("80")).exitCode());
        assertEquals(2, assertThrows(CliException.class, () -> RunPorts.parse("x:80")).exitCode());
        assertEquals(2, assertThrows(CliException.class, () -> RunPorts.parse("8080:70000")).exitCode());
        assertEquals(2, assertThrows(CliException.class, () -> RunPorts.parse("8080:80/sctp")).exitCode());
    }
}
