package dev.hypr.cli.commands;

import dev.hypr.api.grpc.HealthReply;
import dev.hypr.api.grpc.HealthRequest;
import dev.hypr.cli.Main;
import dev.hypr.cli.output.Age;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hyprctl version}: this client's version and, through Health, the daemon's. */
@Command(name = "version", addMethodSubcommands = false, description = "Print the client version and the version of the hyprd it talks to.")
public final class VersionCommand extends BaseCommand {
    @Option(names = "--client", description = "Only the client version; do not contact hyprd.")
    boolean clientOnly;

    public static String clientVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public Integer call() {
        out().println("Client Version: " + clientVersion());
        out().flush();
        if (clientOnly) {
            return 0;
        }
        HealthReply h = api().health(HealthRequest.getDefaultInstance());
        out().println("Server Version: " + (h.getVersion().isEmpty() ? "unknown" : h.getVersion()));
        out().println("Server Status:  " + h.getStatus() + " (revision " + h.getResourceVersion() + ", up "
                + Age.format(Duration.ofMillis(h.getUptimeMillis())) + ", socket " + connection().target() + ")");
        return 0;
    }
}
