package dev.hypr.cli.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.cli.compose.UpProgress.Item;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewTest {
    @Test
    void onATerminalTheLinesAreRedrawnInPlace() {
        StringWriter s = new StringWriter();
        ProgressView view = new ProgressView(new PrintWriter(s), true);
        view.show(List.of(new Item("network", "default", "creating"), new Item("service", "web", "creating")));
        view.show(List.of(new Item("network", "default", "created"), new Item("service", "web", "starting")));
        assertEquals("\r\u001b[2K network default  creating\n\r\u001b[2K service web      creating\n"
                + "\u001b[2A\r\u001b[2K network default  created\n\r\u001b[2K service web      starting\n", s.toString());
    }

    @Test
    void otherwiseOnlyChangesArePrinted() {
        StringWriter s = new StringWriter();
        ProgressView view = new ProgressView(new PrintWriter(s), false);
        view.show(List.of(new Item("network", "default", "creating"), new Item("service", "web", "creating")));
        view.show(List.of(new Item("network", "default", "creating"), new Item("service", "web", "running")));
        assertEquals(" network default creating\n service web creating\n service web running\n", s.toString());
    }
}
