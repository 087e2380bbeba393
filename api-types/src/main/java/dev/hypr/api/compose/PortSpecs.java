package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ports:} entries as Stack port mappings. Short form
 * {@code [IP:][HOST[-END]:]GUEST[-END][/PROTO]} (ranges expanded pairwise; no host port means an
 * ephemeral one) and the long form {@code {target, published, host_ip, protocol, mode, name}}.
 */
final class PortSpecs {
    static final Set<String> LONG_KEYS = Set.of("target", "published", "host_ip", "protocol", "mode", "name", "app_protocol");

    private PortSpecs() {
    }

    /** One entry; problems are reported at the entry and nothing is returned for a bad one. */
    static List<ObjectNode> parse(YNode entry, String path, Problems problems) {
        try {
            if (entry instanceof YScalar s) {
                return shortForm(s.text());
            }
            if (entry instanceof YMap m) {
                return longForm(m, path, problems);
            }
            throw new IllegalArgumentException("a port is a string like \"8080:80\" or a mapping with target:");
        } catch (IllegalArgumentException e) {
            problems.error(entry.position(), path, e.getMessage());
            return List.of();
        }
    }

    static List<ObjectNode> shortForm(String spec) {
        String s = spec.strip();
        String protocol = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            protocol = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        String hostIp = null;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("invalid port \"" + spec + "\": an IPv6 host address is written [addr]:host:guest");
            }
            hostIp = s.substring(1, close);
            s = s.substring(close + 2);
        }
        String[] parts = s.split(":", -1);
        String host;
        String guest;
        if (hostIp == null && parts.length == 3) {
            hostIp = parts[0];
            host = parts[1];
            guest = parts[2];
        } else if (parts.length == 2) {
            host = parts[0];
            guest = parts[1];
        } else if (parts.length == 1 && hostIp == null) {
            host = "";
            guest = parts[0];
        } else {
            throw new IllegalArgumentException("invalid port \"" + spec + "\" (want [IP:][HOST:]GUEST[/PROTOCOL])");
        }
        return mappings(spec, hostIp, host, guest, protocol, null);
    }

    private static List<ObjectNode> longForm(YMap m, String path, Problems problems) {
        KeyCheck.only(m, path, LONG_KEYS, problems);
        if (m.get("app_protocol") != null) {
            problems.warn(m.keyPosition("app_protocol"), path + ".app_protocol", "app_protocol has no effect here");
        }
        if (m.get("mode") instanceof YScalar mode && !mode.text().equals("host") && !mode.text().equals("ingress")) {
            throw new IllegalArgumentException("mode must be host or ingress");
        }
        if (!(m.get("target") instanceof YScalar target)) {
            throw new IllegalArgumentException("a long-form port needs target: (the port inside the guest)");
        }
        String host = m.get("published") instanceof YScalar p ? p.text() : "";
        String ip = m.get("host_ip") instanceof YScalar i && !i.text().isEmpty() ? i.text() : null;
        String protocol = m.get("protocol") instanceof YScalar pr ? pr.text() : "tcp";
        String name = m.get("name") instanceof YScalar n ? n.text() : null;
        return mappings(target.text(), ip, host, target.text(), protocol, name);
    }

    private static List<ObjectNode> mappings(String spec, String hostIp, String host, String guest, String protocol, String name) {
        String proto = protocol.toLowerCase(Locale.ROOT);
        if (!proto.equals("tcp") && !proto.equals("udp")) {
            throw new IllegalArgumentException("protocol \"" + protocol + "\" is not supported (tcp or udp)");
        }
        if (hostIp != null && !hostIp.isEmpty() && !hostIp.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("host address \"" + hostIp + "\" is not an IPv4 address (IPv6 publishing is not supported)");
        }
        int[] guestRange = range(guest, spec);
        int[] hostRange = host.isEmpty() ? null : range(host, spec);
        int count = guestRange[1] - guestRange[0] + 1;
        if (hostRange != null && hostRange[1] - hostRange[0] + 1 != count && count != 1) {
            throw new IllegalArgumentException("invalid port \"" + spec + "\": the host range and the guest range differ in length");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode port = JsonNodeFactory.instance.objectNode();
            if (name != null && count == 1) {
                port.put("name", name);
            }
            if (hostIp != null && !hostIp.isEmpty()) {
                port.put("hostIP", hostIp);
            }
            if (hostRange != null) {
                port.put("hostPort", hostRange[0] + i);
            }
            port.put("guestPort", guestRange[0] + i);
            port.put("protocol", proto.toUpperCase(Locale.ROOT));
            out.add(port);
        }
        return out;
    }

    private static int[] range(String text, String spec) {
        String[] ends = text.strip().split("-", -1);
        if (ends.length > 2) {
            throw new IllegalArgumentException("invalid port range \"" + text + "\" in \"" + spec + "\"");
        }
        int from = port(ends[0], spec);
        int to = ends.length == 2 ? port(ends[1], spec) : from;
        if (to < from) {
            throw new IllegalArgumentException("invalid port range \"" + text + "\" in \"" + spec + "\": the end is below the start");
        }
        return new int[] {from, to};
    }

    private static int port(String text, String spec) {
        try {
            int p = Integer.parseInt(text.strip());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("invalid port \"" + text + "\" in \"" + spec + "\" (a number 1..65535)");
    }
}
