package dev.hypr.cli.commands;

import dev.hypr.api.grpc.LogoutRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hyprctl logout REGISTRY}: makes hyprd forget the credentials {@code login} stored. */
@Command(name = "logout", addMethodSubcommands = false, description = "Remove the credentials hyprd keeps for a registry.")
public final class LogoutCommand extends BaseCommand {
    @Parameters(paramLabel = "REGISTRY")
    String registry;

    @Override
    public Integer call() {
        boolean had = api().logout(LogoutRequest.newBuilder().setRegistry(registry).build()).getChanged();
        out().println(had ? "Removed login credentials for " + registry : "Not logged in to " + registry);
        return 0;
    }
}
