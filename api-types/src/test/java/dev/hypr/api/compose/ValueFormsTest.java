package dev.hypr.api.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hypr.api.codec.SourcePosition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports, volumes, commands, durations and sizes in every form compose accepts. */
class ValueFormsTest {
    private static String ports(String spec) {
        return PortSpecs.shortForm(spec).toString();
    }

    @Test
    void shortPorts() {
        assertEquals("[{\"hostPort\":8080,\"guestPort\":80,\"protocol\":\"TCP\"}]", ports("8080:80"));
        assertEquals("[{\"guestPort\":80,\"protocol\":\"TCP\"}]", ports("80"));
        assertEquals("[{\"hostIP\":\"127.0.0.1\",\"hostPort\":5432,\"guestPort\":5432,\"protocol\":\"TCP\"}]", ports("127.0.0.1:5432:5432"));
        assertEquals("[{\"hostIP\":\"127.0.0.1\",\"guestPort\":80,\"protocol\":\"TCP\"}]", ports("127.0.0.1::80"));
        assertEquals("[{\"hostPort\":53,\"guestPort\":53,\"protocol\":\"UDP\"}]", ports("53:53/udp"));
        assertEquals("[{\"hostPort\":9090,\"guestPort\":8080,\"protocol\":\"TCP\"}, {\"hostPort\":9091,\"guestPort\":8081,\"protocol\":\"TCP\"}]",
                ports("9090-9091:8080-8081"));
        assertEquals("[{\"guestPort\":3000,\"protocol\":\"TCP\"}, {\"guestPort\":3001,\"protocol\":\"TCP\"}]", ports("3000-3001"));
        for (String bad : List.of("0:80", "80:70000", "1:2:3:4", "9090-9092:8080-8081", "80/sctp", "a:b", "::1:80:80")) {
            assertThrows(IllegalArgumentException.class, () -> PortSpecs.shortForm(bad), bad);
        }
    }

    @Test
    void shortVolumes() {
        Problems problems = new Problems();
        SourcePosition at = new SourcePosition("f", 1, 1);
        assertEquals(new VolumeSpecs.Mount(VolumeSpecs.Type.VOLUME, "data", "/var/lib/data", false, false, at),
                VolumeSpecs.shortForm("data:/var/lib/data", at, "p", problems));
        assertEquals(new VolumeSpecs.Mount(VolumeSpecs.Type.BIND, "./conf", "/etc/conf", true, false, at),
                VolumeSpecs.shortForm("./conf:/etc/conf:ro", at, "p", problems));
        assertEquals(new VolumeSpecs.Mount(VolumeSpecs.Type.BIND, "/srv", "/srv", false, true, at),
                VolumeSpecs.shortForm("/srv:/srv:rw,nocopy", at, "p", problems));
        assertEquals(new VolumeSpecs.Mount(VolumeSpecs.Type.VOLUME, "cache", "/cache", false, true, at),
                VolumeSpecs.shortForm("cache:/cache:nocopy", at, "p", problems));
        assertEquals(new VolumeSpecs.Mount(VolumeSpecs.Type.SCRATCH, null, "/node_modules", false, false, at),
                VolumeSpecs.shortForm("/node_modules", at, "p", problems));
        for (String bad : List.of(":/x", "data:relative", "data:/x:bogus", "a:/b:ro:x")) {
            assertThrows(IllegalArgumentException.class, () -> VolumeSpecs.shortForm(bad, at, "p", problems), bad);
        }
    }

    @Test
    void commandsSplitLikeAShell() {
        assertEquals(List.of("/bin/bash", "-c", "envsubst < /a > /b && nginx -g 'daemon off;'"),
                ShellWords.split("/bin/bash -c \"envsubst < /a > /b && nginx -g 'daemon off;'\""));
        assertEquals(List.of("echo", "a b", "c\"d", "e f"), ShellWords.split("echo 'a b' \"c\\\"d\" e\\ f"));
        assertEquals(List.of(), ShellWords.split("   "));
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo 'open"));
    }

    @Test
    void durationsAndSizes() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(2, Durations.seconds(Durations.parse("1500ms"), 1));
        assertEquals(1, Durations.seconds(Durations.parse("0s"), 1));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("10"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 s"));
        assertEquals(1536, ByteSizes.mebibytes("1.5G"));
        assertEquals(300, ByteSizes.mebibytes("300M"));
        assertEquals(512, ByteSizes.mebibytes("512mb"));
        assertEquals(1, ByteSizes.mebibytes("1000"));
        assertEquals(1024, ByteSizes.mebibytes("1073741824"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.mebibytes("lots"));
    }

    @Test
    void namesBecomeObjectSafe() {
        assertEquals("myapp", Names.projectName("My App"));
        assertEquals("my_app", Names.projectName("_My_App"));
        assertEquals("web-api", Names.label("Web_API"));
        assertEquals(63, Names.label("x".repeat(80)).length());
    }
}
