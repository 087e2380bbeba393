package dev.hypr.controller.net.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.xbill.DNS.Message;

/** UDP and TCP DNS on one address and port, answering with one network's {@link DnsAnswerer}. */
public final class DnsServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsServer.class);
    private static final int UDP_MAX = 512; // without EDNS a UDP answer must fit 512 bytes (truncated: the client retries on TCP)

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final DnsAnswerer answerer;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hypr-dns");
        t.setDaemon(true);
        return t;
    });

    private DnsServer(DatagramSocket udp, ServerSocket tcp, DnsAnswerer answerer) {
        this.udp = udp;
        this.tcp = tcp;
        this.answerer = answerer;
    }

    public static DnsServer start(InetSocketAddress address, DnsAnswerer answerer) throws IOException {
        DatagramSocket udp = new DatagramSocket(address);
        ServerSocket tcp;
        try {
            tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address.getAddress(), udp.getLocalPort())); // same port when 0 asked for any
        } catch (IOException e) {
            udp.close();
            throw e;
        }
        DnsServer s = new DnsServer(udp, tcp, answerer);
        s.threads.submit(s::serveUdp);
        s.threads.submit(s::serveTcp);
        return s;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) udp.getLocalSocketAddress();
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] query = java.util.Arrays.copyOf(p.getData(), p.getLength());
                InetAddress from = p.getAddress();
                int port = p.getPort();
                threads.submit(() -> {
                    byte[] reply = handle(query, UDP_MAX, from);
                    if (reply != null) {
                        udp.send(new DatagramPacket(reply, reply.length, from, port));
                    }
                    return null;
                });
            } catch (IOException e) {
                if (!udp.isClosed()) {
                    LOG.debugf("dns udp: %s", e.getMessage());
                }
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket c = tcp.accept();
                threads.submit(() -> serveTcpClient(c));
            } catch (IOException e) {
                if (!tcp.isClosed()) {
                    LOG.debugf("dns tcp: %s", e.getMessage());
                }
            }
        }
    }

    private void serveTcpClient(Socket c) {
        try (c; DataInputStream in = new DataInputStream(c.getInputStream());
                DataOutputStream out = new DataOutputStream(c.getOutputStream())) {
            c.setSoTimeout(10_000);
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] reply = handle(query, 65535, c.getInetAddress());
                if (reply == null) {
                    return;
                }
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            // client done or gone
        }
    }

    /** Wire reply to a wire query; null for garbage (no answer at all, as resolvers do). */
    private byte[] handle(byte[] query, int maxLength, InetAddress from) {
        try {
            return answerer.answer(new Message(query), from == null ? null : from.getHostAddress()).toWire(maxLength);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing
        }
        threads.shutdownNow();
    }
}
