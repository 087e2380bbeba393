package dev.hypr.controller.net.forward;

import dev.hypr.controller.vmm.HostForward;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses QEMU's {@code info usernet}: HMP has no command that lists host forwards, but this
 * table shows every slirp socket, and the listening ones of host forwards carry the state
 * {@code HOST_FORWARD}:
 * <pre>
 *   Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ
 *   TCP[HOST_FORWARD]  13       127.0.0.1  8080       10.0.2.15    80     0     0
 *   UDP[HOST_FORWARD]  14               *  5353       10.0.2.15    53     0     0
 * </pre>
 * slirp prints an unspecified (0.0.0.0) bind address as {@code *}.
 */
public final class UsernetTable {
    private UsernetTable() {
    }

    public static List<Forward> hostForwards(String owner, String text) {
        List<Forward> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[0].endsWith("[HOST_FORWARD]")) {
                continue;
            }
            String proto = f[0].substring(0, f[0].indexOf('[')).toUpperCase(Locale.ROOT);
            if (!proto.equals("TCP") && !proto.equals("UDP")) {
                continue;
            }
            String host = f[2].equals("*") ? PublishedPorts.ANY_ADDRESS : f[2];
            try {
                out.add(new Forward(owner, HostForward.Protocol.valueOf(proto), host, Integer.parseInt(f[3]), f[4],
                        Integer.parseInt(f[5])));
            } catch (IllegalArgumentException e) {
                // a line in a format this parser does not know: not a forward we manage
            }
        }
        return out;
    }
}
