package dev.hypr.cli.commands;

import dev.hypr.cli.CliEnv;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Byte streams for guest output (exec, logs). In a real process they are the process's own
 * stdout/stderr, so binary output survives unchanged; in-process (tests hand in writers) the
 * bytes are decoded as UTF-8, keeping multi-byte characters split across chunks intact.
 */
final class ExecStreams {
    private ExecStreams() {
    }

    static PrintStream stdout(CliEnv env) {
        return stream(env, env.out(), System.out);
    }

    static PrintStream stderr(CliEnv env) {
        return stream(env, env.err(), System.err);
    }

    private static PrintStream stream(CliEnv env, PrintWriter writer, PrintStream system) {
        writer.flush();
        // CliEnv.system() is the only environment whose stdin is the process's own
        if (env.in() == System.in) {
            return system;
        }
        return new PrintStream(new DecodingStream(writer), true, StandardCharsets.UTF_8);
    }

    private static final class DecodingStream extends OutputStream {
        private final PrintWriter writer;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer pending = ByteBuffer.allocate(0);

        DecodingStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            ByteBuffer in = ByteBuffer.allocate(pending.remaining() + len);
            in.put(pending).put(b, off, len).flip();
            CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, out, false);
            writer.write(out.flip().toString());
            pending = in; // an incomplete character waits for its next bytes
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }
}
