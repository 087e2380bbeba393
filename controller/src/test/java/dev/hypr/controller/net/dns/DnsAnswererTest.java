package dev.hypr.controller.net.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class DnsAnswererTest {
    private final DnsAnswerer.Upstream noUpstream = q -> {
        throw new IOException("no route");
    };
    private final DnsAnswerer answerer = new DnsAnswerer("back", () -> Map.of("web", "10.89.0.2"), noUpstream);

    private static Message query(String name, int type) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        q.getHeader().setFlag(Flags.RD);
        return q;
    }

    @Test
    void vmNamesResolveBareAndUnderTheNetwork() throws IOException {
        for (String name : new String[] {"web", "web.back", "WEB.back."}) {
            Message r = answerer.answer(query(name, Type.A));
            assertEquals(Rcode.NOERROR, r.getRcode(), name);
            ARecord a = (ARecord) r.getSection(Section.ANSWER).get(0);
            assertEquals("10.89.0.2", a.getAddress().getHostAddress(), name);
        }
    }

    @Test
    void unknownNamesInTheZoneAreNxdomainAndKnownNamesHaveNoAaaa() throws IOException {
        assertEquals(Rcode.NXDOMAIN, answerer.answer(query("db", Type.A)).getRcode());
        assertEquals(Rcode.NXDOMAIN, answerer.answer(query("db.back", Type.A)).getRcode());
        Message aaaa = answerer.answer(query("web", Type.AAAA));
        assertEquals(Rcode.NOERROR, aaaa.getRcode());
        assertTrue(aaaa.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void otherNamesGoUpstreamAndFailAsServfailWithoutOne() throws IOException {
        assertEquals(Rcode.SERVFAIL, answerer.answer(query("example.org", Type.A)).getRcode());
        Message upstreamAnswer = new Message();
        DnsAnswerer forwarding = new DnsAnswerer("back", Map::of, q -> Optional.of(upstreamAnswer));
        assertEquals(upstreamAnswer, forwarding.answer(query("example.org", Type.A)));
    }

    @Test
    void serverAnswersOverUdpAndTcpOnLoopback() throws IOException {
        try (DnsServer server = DnsServer.start(new InetSocketAddress("127.0.0.1", 0), answerer)) {
            for (boolean tcp : new boolean[] {false, true}) {
                SimpleResolver r = new SimpleResolver(server.address());
                r.setTCP(tcp);
                r.setTimeout(Duration.ofSeconds(5));
                Message reply = r.send(query("web.back", Type.A));
                assertEquals("10.89.0.2", ((ARecord) reply.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
            }
        }
    }
}
