package dev.hypr.controller.net.bridge;

import static dev.hypr.api.host.HostProgram.NFT;
import static dev.hypr.api.host.HostProgram.SYSCTL;

import dev.hypr.controller.host.HostPrograms;
import dev.hypr.controller.net.InterfaceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Egress NAT with nftables (Debian 12's default firewall): one table {@code ip hypr} with a
 * postrouting nat chain and one masquerade rule per Network subnet, tagged with the bridge
 * name as comment so it can be found, kept unique and removed again. Without nftables there
 * can be no rule of hyprd's to remove: listing and removal then do nothing, so deleting a
 * Network never waits for a tool it did not need. A forward filter chain keeps Networks apart:
 * per bridge one rule drops what its VMs send towards another hyprd bridge, so VMs reach each
 * other only over a Network they share (as Docker isolates its networks).
 */
public final class NatRules {
    static final String TABLE = "hypr";
    static final String CHAIN = "postrouting";
    static final String ISOLATION_CHAIN = "forward";
    private static final Pattern RULE = Pattern.compile("comment \"(hyb-[0-9a-f]+)\" # handle (\\d+)");

    private NatRules() {
    }

    /** Masquerades traffic from subnet that leaves through any interface but the bridge itself; enables forwarding. */
    public static void ensure(String bridge, String subnet) {
        Cmd.run(NFT, "add", "table", "ip", TABLE);
        Cmd.run(NFT, "add", "chain", "ip", TABLE, CHAIN, "{ type nat hook postrouting priority srcnat ; }");
        if (rules().stream().noneMatch(r -> r.bridge().equals(bridge))) {
            Cmd.run(NFT, "add", "rule", "ip", TABLE, CHAIN, "ip", "saddr", subnet, "oifname", "!=", bridge, "masquerade",
                    "comment", "\"" + bridge + "\"");
        }
        Cmd.run(NFT, "add", "chain", "ip", TABLE, ISOLATION_CHAIN, "{ type filter hook forward priority filter ; }");
        if (rules(ISOLATION_CHAIN).stream().noneMatch(r -> r.bridge().equals(bridge))) {
            Cmd.run(NFT, "add", "rule", "ip", TABLE, ISOLATION_CHAIN, "iifname", bridge, "oifname",
                    "\"" + InterfaceNames.BRIDGE_PREFIX + "*\"", "oifname", "!=", bridge, "drop", "comment", "\"" + bridge + "\"");
        }
        Cmd.run(SYSCTL, "-q", "-w", "net.ipv4.ip_forward=1");
    }

    public static void remove(String bridge) {
        for (String chain : List.of(CHAIN, ISOLATION_CHAIN)) {
            for (Rule r : rules(chain)) {
                if (r.bridge().equals(bridge)) {
                    Cmd.run(NFT, "delete", "rule", "ip", TABLE, chain, "handle", r.handle());
                }
            }
        }
    }

    record Rule(String bridge, String handle) {
    }

    /** Rules in hyprd's chain; none when the table does not exist yet, or nft is not installed. */
    static List<Rule> rules() {
        return rules(CHAIN);
    }

    private static List<Rule> rules(String chain) {
        if (!HostPrograms.installed(NFT)) {
            return List.of();
        }
        Cmd.Outcome o = Cmd.tryRun(NFT, "-a", "list", "chain", "ip", TABLE, chain);
        List<Rule> out = new ArrayList<>();
        if (o.ok()) {
            parse(o.output(), out);
        }
        return out;
    }

    static void parse(String listing, List<Rule> out) {
        Matcher m = RULE.matcher(listing);
        while (m.find()) {
            out.add(new Rule(m.group(1), m.group(2)));
        }
    }
}
