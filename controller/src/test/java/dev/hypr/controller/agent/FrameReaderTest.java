package dev.hypr.controller.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    private static final byte[] HELLO = "agent=kestrel/1\0workload=running\0pid=42\0exit=0\0restarts=2".getBytes(StandardCharsets.UTF_8);

    @Test
    void encodesHeaderBigEndian() {
        byte[] bytes = new Frame(FrameType.STDOUT, 0x01020304, new byte[] {'h', 'i'}).encode();
        assertArrayEquals(new byte[] {0, 0, 0, 2, (byte) 0x85, 1, 2, 3, 4, 'h', 'i'}, bytes);
    }

    @Test
    void roundTripsFrames() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new Frame(FrameType.EXEC, 7, "arg=ls".getBytes()).encode());
        out.writeBytes(Frame.of(FrameType.PING, 9).encode());
        FrameReader reader = new FrameReader(new ByteArrayInputStream(out.toByteArray()));
        Frame exec = reader.read();
        assertEquals(FrameType.EXEC, exec.type());
        assertEquals(7, exec.id());
        assertEquals("arg=ls", exec.payloadText());
        assertEquals(9, reader.read().id());
    }

    @Test
    void rejectsOversizedLength() {
        byte[] bad = {0x7f, 0, 0, 0, 1, 0, 0, 0, 0};
        assertThrows(IOException.class, () -> new FrameReader(new ByteArrayInputStream(bad)).read());
    }

    @Test
    void skipsTheTailOfAHalfReadFrameUntilHello() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] stale = new Frame(FrameType.STDOUT, 0, "some old output".getBytes()).encode();
        out.write(stale, 5, stale.length - 5); // what a previous client left unread
        out.writeBytes(new Frame(FrameType.HELLO, 0, HELLO).encode());
        out.writeBytes(new Frame(FrameType.STARTED, 0, new byte[] {0, 0, 0, 42}).encode());
        FrameReader reader = new FrameReader(new ByteArrayInputStream(out.toByteArray()));
        AgentHello hello = AgentHello.parse(reader.skipToHello().payload());
        assertEquals(AgentHello.WorkloadState.RUNNING, hello.workload());
        assertEquals(42, hello.pid());
        assertEquals(2, hello.restarts());
        assertEquals(42, reader.read().payloadInt(0), "framing resumes after HELLO");
    }

    @Test
    void execRequestEncodesArgvInOrder() {
        byte[] payload = ExecRequest.of("sh", "-c", "exit 7").withTty(100, 30).encode();
        assertEquals("arg=sh\0arg=-c\0arg=exit 7\0tty=1\0cols=100\0rows=30", new String(payload, StandardCharsets.UTF_8));
    }
}
