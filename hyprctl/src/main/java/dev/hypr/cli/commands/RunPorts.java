package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.cli.CliException;

/** {@code -p [HOSTIP:]HOSTPORT:GUESTPORT[/tcp|udp]} as docker run takes it, turned into a spec.ports entry. */
final class RunPorts {
    private RunPorts() {
    }

    static ObjectNode parse(String spec) {
        String body = spec;
        String protocol = "TCP";
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            protocol = spec.substring(slash + 1).toUpperCase();
            body = spec.substring(0, slash);
            if (!protocol.equals("TCP") && !protocol.equals("UDP")) {
                throw usage(spec, "protocol must be tcp or udp");
            }
        }
        int last = body.lastIndexOf(':');
        if (last < 0) {
            throw usage(spec, "expected HOSTPORT:GUESTPORT");
        }
        int hostSep = body.lastIndexOf(':', last - 1);
        String hostIp = hostSep < 0 ? null : body.substring(0, hostSep);
        ObjectNode port = Json.MAPPER.createObjectNode();
        if (hostIp != null && !hostIp.isEmpty()) {
            port.put("hostIP", hostIp);
        }
        port.put("hostPort", number(spec, body.substring(hostSep + 1, last)));
        port.put("guestPort", number(spec, body.substring(last + 1)));
        port.put("protocol", protocol);
        return port;
    }

    private static int number(String spec, String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage(spec, "\"" + s + "\" is not a port (1-65535)");
    }

    private static CliException usage(String spec, String why) {
        return new CliException("invalid --publish \"" + spec + "\": " + why, 2);
    }
}
