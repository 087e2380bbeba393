package dev.hypr.api.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns the raw bytes of a manifest file into text, refusing what cannot be a manifest. */
final class ManifestText {
    /** Larger files are refused before parsing: no object is that big, and parsing them costs memory. */
    static final int MAX_BYTES = 32 * 1024 * 1024;

    private ManifestText() {
    }

    /** The decoded text, or a {@link ManifestFormatException} saying why the bytes are not a manifest. */
    static String decode(String source, byte[] content) {
        if (content.length > MAX_BYTES) {
            throw new ManifestFormatException(new SourcePosition(source, 1, 1),
                    "file is " + content.length / (1024 * 1024) + " MiB, larger than the 32 MiB limit for manifests");
        }
        int offset = hasUtf8Bom(content) ? 3 : 0;
        String text = decodeUtf8(source, content, offset);
        rejectControlCharacters(source, text);
        return text;
    }

    private static boolean hasUtf8Bom(byte[] c) {
        return c.length >= 3 && (c[0] & 0xff) == 0xEF && (c[1] & 0xff) == 0xBB && (c[2] & 0xff) == 0xBF;
    }

    private static String decodeUtf8(String source, byte[] content, int offset) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, offset, content.length - offset);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalidUtf8Offset(content, offset);
            SourcePosition at = positionOfByte(source, content, offset, bad);
            throw new ManifestFormatException(at, String.format(
                    "not valid UTF-8 text (byte 0x%02x at offset %d); is this a binary file?", content[bad] & 0xff, bad));
        }
    }

    /** The decoder does not say where it failed, so find the first byte that starts no valid sequence. */
    private static int firstInvalidUtf8Offset(byte[] content, int from) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, from, content.length - from);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(content.length + 1);
        decoder.decode(in, out, true);
        return in.position();
    }

    private static SourcePosition positionOfByte(String source, byte[] content, int from, int byteOffset) {
        String before = new String(content, from, byteOffset - from, StandardCharsets.UTF_8);
        return positionOfIndex(source, before, before.length());
    }

    /** YAML allows tab, LF, CR and printable characters only; NUL and friends mean binary input. */
    private static void rejectControlCharacters(String source, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                throw new ManifestFormatException(positionOfIndex(source, text, i), String.format(
                        "control character U+%04X is not allowed in YAML; is this a binary file?", (int) c));
            }
        }
    }

    static SourcePosition positionOfIndex(String source, String text, int index) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < index && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SourcePosition(source, line, column);
    }
}
