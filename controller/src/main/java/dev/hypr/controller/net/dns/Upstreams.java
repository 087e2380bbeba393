package dev.hypr.controller.net.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/** The resolvers named in /etc/resolv.conf, tried in order with a short timeout each. */
public final class Upstreams implements DnsAnswerer.Upstream {
    private final List<String> servers;

    public Upstreams(List<String> servers) {
        this.servers = List.copyOf(servers);
    }

    public static Upstreams fromResolvConf(Path file) {
        List<String> servers = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) {
                    servers.add(f[1]);
                }
            }
        } catch (IOException e) {
            // no resolv.conf: nothing upstream, names outside the networks get SERVFAIL
        }
        return new Upstreams(servers);
    }

    @Override
    public Optional<Message> send(Message query) throws IOException {
        IOException last = null;
        for (String s : servers) {
            try {
                SimpleResolver r = new SimpleResolver(s);
                r.setTimeout(Duration.ofSeconds(2));
                return Optional.of(r.send(query));
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        return Optional.empty();
    }
}
