package dev.hypr.controller.net.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatRulesTest {
    @Test
    void rulesAreFoundByTheirBridgeComment() {
        String listing = """
                table ip hypr {
                	chain postrouting { # handle 1
                		type nat hook postrouting priority srcnat; policy accept;
                		ip saddr 10.89.0.0/24 oifname != "hyb-1a2b3c4d" masquerade comment "hyb-1a2b3c4d" # handle 2
                		ip saddr 10.88.0.0/16 oifname != "hyb-00ff00ff" masquerade comment "hyb-00ff00ff" # handle 7
                	}
                }
                """;
        List<NatRules.Rule> rules = new ArrayList<>();
        NatRules.parse(listing, rules);
        assertEquals(List.of(new NatRules.Rule("hyb-1a2b3c4d", "2"), new NatRules.Rule("hyb-00ff00ff", "7")), rules);
    }
}
