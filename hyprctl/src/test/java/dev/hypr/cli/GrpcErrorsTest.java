package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrpcErrorsTest {
    @TempDir
    Path dir;

    private static String report(Status status, String target) {
        StringWriter out = new StringWriter();
        GrpcErrors.report(status.asRuntimeException(), target, new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void aSocketThatRefusesUsIsPermissionDeniedWithItsOwnerAndMode() throws Exception {
        Path socket = Files.createFile(dir.resolve("hypr.sock"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        String owner = Files.getOwner(socket).getName();
        // what the JDK throws when connect(2) fails with EACCES
        String msg = report(Status.UNAVAILABLE.withCause(new BindException("Permission denied")), socket.toString());
        assertTrue(msg.startsWith("error: permission denied on the socket " + socket + " (" + owner + ":"), msg);
        assertTrue(msg.contains(" 0660): run as root or join the 'hypr' group"), msg);
    }

    @Test
    void aDaemonThatIsDownCannotBeReached() {
        assertEquals("error: cannot reach hyprd at /x/hypr.sock: is it running?\n",
                report(Status.UNAVAILABLE.withCause(new ConnectException("Connection refused")), "/x/hypr.sock"));
        assertEquals("error: cannot reach hyprd at /x/hypr.sock: is it running?\n", report(Status.UNAVAILABLE, "/x/hypr.sock"));
    }

    @Test
    void unavailableSentByHyprdSaysWhatIsUnavailable() {
        assertEquals("error: the guest agent went away: closed\n",
                report(Status.UNAVAILABLE.withDescription("the guest agent went away: closed"), "/x/hypr.sock"));
    }

    @Test
    void aVmThatIsNotRunningIsAPrecondition() {
        assertEquals("error: vm/web is not running (phase Failed: StartFailed: no rootfs)\n",
                report(Status.FAILED_PRECONDITION.withDescription("vm/web is not running (phase Failed: StartFailed: no rootfs)"),
                        "/x/hypr.sock"));
    }

    @Test
    void modesPrintInOctal() {
        assertEquals("0750", SocketPermissions.octal(PosixFilePermissions.fromString("rwxr-x---")));
        assertEquals("0606", SocketPermissions.octal(PosixFilePermissions.fromString("rw----rw-")));
    }
}
