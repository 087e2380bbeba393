package dev.hypr.controller.net.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers one network's DNS questions: {@code <name>} and {@code <name>.<network>} are the VMs on
 * that network (A records from IPAM) by VM name, and a stack's services by service name and
 * alias (one A record per replica); other names in that zone are NXDOMAIN; anything else goes
 * to the upstream resolver, SERVFAIL when there is none or it does not answer.
 */
public final class DnsAnswerer {
    static final long TTL_SECONDS = 5; // addresses are stable, but a VM can be deleted and its name reused

    /** Sends a query to the resolvers hyprd itself uses. */
    public interface Upstream {
        Optional<Message> send(Message query) throws IOException;
    }

    private final String network;
    private final Supplier<Map<String, List<String>>> addresses;
    private final Function<String, Map<String, List<String>>> askersOtherNetworks;
    private final Upstream upstream;

    /** addresses: name (VM, service, alias; lower case) to IPv4 addresses, read at every question (it changes as VMs come and go). */
    public DnsAnswerer(String network, Supplier<Map<String, List<String>>> addresses, Upstream upstream) {
        this(network, addresses, asker -> Map.of(), upstream);
    }

    /**
     * askersOtherNetworks: for the address a question came from, the names (and addresses) of the
     * other networks that VM joins — a VM on several networks asks its first network's DNS only,
     * and must still find the VMs it shares only a later network with.
     */
    public DnsAnswerer(String network, Supplier<Map<String, List<String>>> addresses,
            Function<String, Map<String, List<String>>> askersOtherNetworks, Upstream upstream) {
        this.network = network.toLowerCase(Locale.ROOT);
        this.addresses = addresses;
        this.askersOtherNetworks = askersOtherNetworks;
        this.upstream = upstream;
    }

    public Message answer(Message query) {
        return answer(query, null);
    }

    /** asker: the IPv4 address the question came from, null when unknown. */
    public Message answer(Message query, String asker) {
        Record question = query.getQuestion();
        if (question == null) {
            return reply(query, Rcode.FORMERR);
        }
        String asked = question.getName().toString(true).toLowerCase(Locale.ROOT);
        Optional<String> vm = localName(asked);
        if (vm.isEmpty()) {
            return forward(query);
        }
        List<String> ips = addresses.get().get(vm.get());
        if ((ips == null || ips.isEmpty()) && asker != null && !asked.contains(".")) { // bare names only: <x>.<network> is this zone
            ips = askersOtherNetworks.apply(asker).get(vm.get());
        }
        if (ips == null || ips.isEmpty()) {
            return reply(query, Rcode.NXDOMAIN);
        }
        Message reply = reply(query, Rcode.NOERROR);
        reply.getHeader().setFlag(Flags.AA);
        if (question.getType() == Type.A || question.getType() == Type.ANY) {
            try {
                for (String ip : ips) {
                    reply.addRecord(new ARecord(question.getName(), DClass.IN, TTL_SECONDS, InetAddress.getByName(ip)), Section.ANSWER);
                }
            } catch (java.net.UnknownHostException e) {
                return reply(query, Rcode.SERVFAIL);
            }
        }
        return reply; // AAAA and others: the name exists but has no such record (NODATA)
    }

    /** The VM a name means when it is in this network's zone: "web" or "web.back"; empty for other names. */
    Optional<String> localName(String name) {
        String[] labels = name.split("\\.");
        if (labels.length == 1 && !labels[0].isEmpty()) {
            return Optional.of(labels[0]);
        }
        if (labels.length == 2 && labels[1].equals(network)) {
            return Optional.of(labels[0]);
        }
        return Optional.empty();
    }

    private Message forward(Message query) {
        try {
            Optional<Message> r = upstream.send(query);
            if (r.isPresent()) {
                return r.get();
            }
        } catch (IOException e) {
            // unreachable upstream: the client is told so rather than left waiting
        }
        return reply(query, Rcode.SERVFAIL);
    }

    private static Message reply(Message query, int rcode) {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            reply.getHeader().setFlag(Flags.RD);
        }
        reply.getHeader().setRcode(rcode);
        if (query.getQuestion() != null) {
            reply.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return reply;
    }
}
