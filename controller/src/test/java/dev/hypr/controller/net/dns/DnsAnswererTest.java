package dev.hypr.controller.net.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
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
    private final DnsAnswerer answerer = new DnsAnswerer("back", () -> Map.of("web", List.of("10.89.0.2")), noUpstream);

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

    @Test
    void aServiceNameAnswersEveryReplicaAndItsAliasesOnlyOnItsNetwork() throws IOException {
        com.fasterxml.jackson.databind.node.ArrayNode allocations = dev.hypr.api.Json.MAPPER.createArrayNode();
        allocations.addObject().put("vm", "shop-db-1").put("ip", "10.89.0.2");
        allocations.addObject().put("vm", "shop-db-2").put("ip", "10.89.0.3");
        allocations.addObject().put("vm", "plain").put("ip", "10.89.0.4");
        java.util.function.Function<String, Optional<com.fasterxml.jackson.databind.node.ObjectNode>> vms = name -> {
            if (!name.startsWith("shop-db-")) {
                return Optional.of(dev.hypr.api.Json.MAPPER.createObjectNode());
            }
            com.fasterxml.jackson.databind.node.ObjectNode vm = dev.hypr.api.Json.MAPPER.createObjectNode();
            vm.putObject("metadata").putObject("annotations").put(DnsNames.ANNOTATION, "db,Postgres_DB,database");
            return Optional.of(vm);
        };
        Map<String, List<String>> table = DnsNames.table(allocations, vms);
        assertEquals(List.of("10.89.0.2", "10.89.0.3"), table.get("db"));
        assertEquals(List.of("10.89.0.2", "10.89.0.3"), table.get("postgres_db"));
        assertEquals(List.of("10.89.0.4"), table.get("plain"));
        DnsAnswerer stackNet = new DnsAnswerer("shop-default", () -> table, noUpstream);
        for (String name : new String[] {"db", "database.shop-default", "Postgres_DB"}) {
            Message r = stackNet.answer(query(name, Type.A));
            assertEquals(Rcode.NOERROR, r.getRcode(), name);
            List<String> ips = r.getSection(Section.ANSWER).stream().map(rec -> ((ARecord) rec).getAddress().getHostAddress()).toList();
            assertEquals(List.of("10.89.0.2", "10.89.0.3"), ips, name);
        }
        // another network's DNS does not know the service
        assertEquals(Rcode.NXDOMAIN, answerer.answer(query("db", Type.A)).getRcode());
    }

    @Test
    void aVmOnSeveralNetworksFindsNamesOnItsOtherNetworksButOthersDoNot() throws IOException {
        // front's DNS; 10.90.0.2 is a VM also on back, where b (10.91.0.3) lives
        DnsAnswerer front = new DnsAnswerer("front", () -> Map.of("a", List.of("10.90.0.2")),
                asker -> asker.equals("10.90.0.2") ? Map.of("b", List.of("10.91.0.3")) : Map.of(), noUpstream);
        Message fromA = front.answer(query("b", Type.A), "10.90.0.2");
        assertEquals(Rcode.NOERROR, fromA.getRcode());
        assertEquals("10.91.0.3", ((ARecord) fromA.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
        assertEquals(Rcode.NXDOMAIN, front.answer(query("b", Type.A), "10.90.0.9").getRcode(), "c on front only does not see b");
        assertEquals(Rcode.NXDOMAIN, front.answer(query("b.front", Type.A), "10.90.0.2").getRcode(), "b is not in front's zone");
    }

    @Test
    void anAttachmentsAliasesAreNamesOnThatNetworkOnly() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode vm = dev.hypr.api.Json.parseObject(
                "{\"spec\":{\"networks\":[{\"name\":\"front\",\"aliases\":[\"www\"]},{\"name\":\"back\",\"aliases\":[\"api\"]}]}}");
        com.fasterxml.jackson.databind.node.ArrayNode front = dev.hypr.api.Json.MAPPER.createArrayNode();
        front.addObject().put("vm", "a").put("ip", "10.90.0.2");
        com.fasterxml.jackson.databind.node.ArrayNode back = dev.hypr.api.Json.MAPPER.createArrayNode();
        back.addObject().put("vm", "a").put("ip", "10.91.0.7");
        Map<String, List<String>> onFront = DnsNames.table("front", front, name -> Optional.of(vm));
        Map<String, List<String>> onBack = DnsNames.table("back", back, name -> Optional.of(vm));
        assertEquals(Map.of("a", List.of("10.90.0.2"), "www", List.of("10.90.0.2")), onFront);
        assertEquals(Map.of("a", List.of("10.91.0.7"), "api", List.of("10.91.0.7")), onBack);
    }
}
