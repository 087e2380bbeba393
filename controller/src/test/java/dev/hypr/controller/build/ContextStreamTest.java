package dev.hypr.controller.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ContextStreamTest {
    @Test
    void theReaderGetsEveryChunkInOrderThenTheEnd() throws Exception {
        ContextStream stream = new ContextStream();
        byte[] all = new byte[40 * 1000 + 7];
        new Random(1).nextBytes(all);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        // more chunks than the queue holds: the writer waits for the reader
        for (int off = 0; off < all.length; off += 1000) {
            byte[] chunk = new byte[Math.min(1000, all.length - off)];
            System.arraycopy(all, off, chunk, 0, chunk.length);
            stream.offer(chunk);
        }
        stream.end();
        assertArrayEquals(all, read.get(30, TimeUnit.SECONDS));
    }

    @Test
    void endingJustAsTheReaderFinishesIsNoError() throws Exception {
        for (int i = 0; i < 200; i++) {
            ContextStream stream = new ContextStream();
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try (stream) {
                    return stream.transferTo(new ByteArrayOutputStream()) > 0 ? 1 : 0;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            stream.offer(new byte[] {1, 2, 3});
            stream.end(); // the reader may close the stream right after taking the end
            assertEquals(1, read.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void anAbortFailsTheReaderAndAGoneReaderFailsTheWriter() throws Exception {
        ContextStream aborted = new ContextStream();
        aborted.offer(new byte[] {1});
        aborted.abort();
        IOException e = assertThrows(IOException.class, aborted::readAllBytes);
        assertTrue(e.getMessage().contains("before sending its whole context"), e.getMessage());

        ContextStream abandoned = new ContextStream();
        abandoned.close();
        IOException full = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 100; i++) abandoned.offer(new byte[] {1});
        });
        assertTrue(full.getMessage().contains("no longer being read"), full.getMessage());
    }
}
