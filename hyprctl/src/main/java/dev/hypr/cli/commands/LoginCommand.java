package dev.hypr.cli.commands;

import dev.hypr.api.grpc.LoginRequest;
import dev.hypr.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl login REGISTRY -u USER --password-stdin}: hands the credentials to hyprd, which
 * keeps them in {@code $HYPR_HOME/auth.json} (0600) for its pulls. The password is read from
 * standard input only, so it never appears in a process list or shell history.
 */
@Command(name = "login", addMethodSubcommands = false, description = {"Store credentials hyprd uses to pull from a registry.",
        "Example: echo \"$TOKEN\" | hyprctl login registry.example:5000 -u ci --password-stdin"})
public final class LoginCommand extends BaseCommand {
    @Parameters(paramLabel = "REGISTRY", description = "Registry host[:port], e.g. docker.io or 127.0.0.1:5000.")
    String registry;

    @Option(names = {"-u", "--username"}, required = true, paramLabel = "USER")
    String username;

    @Option(names = "--password-stdin", required = true, description = "Read the password from standard input.")
    boolean passwordStdin;

    @Override
    public Integer call() throws IOException {
        String password = new String(env().in().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new CliException("no password on standard input");
        }
        api().login(LoginRequest.newBuilder().setRegistry(registry).setUsername(username).setPassword(password).build());
        out().println("Login Succeeded (stored for " + registry + "; not checked against the registry until a pull)");
        return 0;
    }
}
