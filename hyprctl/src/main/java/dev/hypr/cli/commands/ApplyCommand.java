package dev.hypr.cli.commands;

import dev.hypr.api.Json;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.ApplyResponse;
import dev.hypr.api.grpc.ApplyResult;
import dev.hypr.cli.CliException;
import dev.hypr.cli.GrpcErrors;
import dev.hypr.cli.KindRef;
import dev.hypr.cli.ManifestInput;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hyprctl apply -f FILE|DIR|-}: read and validate every input locally, then one Apply RPC
 * that hyprd carries out all or nothing.
 */
@Command(name = "apply", addMethodSubcommands = false, description = {"Create or update objects from files, directories or standard input.",
        "Every input is read and validated first; on any error nothing is sent and every error is printed."})
public final class ApplyCommand extends BaseCommand {
    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
            description = "A manifest file, a directory of *.yaml/*.yml/*.json, or - for standard input. Repeatable.")
    List<String> files;

    @Option(names = {"-R", "--recursive"}, description = "Also read sub-directories of -f DIR.")
    boolean recursive;

    @Option(names = "--dry-run", description = "Validate and show what would change; store nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        List<Manifest> manifests = ManifestInput.loadOrFail(files, recursive, env().in(), true, err(),
                "nothing was applied");
        ApplyRequest.Builder req = ApplyRequest.newBuilder().setDryRun(dryRun);
        for (Manifest m : manifests) {
            req.addObjects(dev.hypr.api.grpc.Manifest.newBuilder()
                    .setJson(Json.write(m.object()))
                    .setSource(m.position() == null ? "" : m.position().toString()));
        }
        ApplyResponse resp;
        try {
            resp = api().apply(req.build());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.INVALID_ARGUMENT || code == Status.Code.ABORTED
                    || code == Status.Code.ALREADY_EXISTS || code == Status.Code.FAILED_PRECONDITION) {
                GrpcErrors.report(e, connection().target(), err());
                throw new CliException("nothing was applied");
            }
            throw e;
        }
        String suffix = dryRun ? " (dry run)" : "";
        for (ApplyResult r : resp.getResultsList()) {
            out().println(KindRef.printable(r.getKind()) + "/" + r.getName() + " " + outcome(r) + suffix);
        }
        return 0;
    }

    private static String outcome(ApplyResult r) {
        return switch (r.getOutcome()) {
            case CREATED -> "created";
            case CONFIGURED -> "configured";
            case UNCHANGED -> "unchanged";
            default -> r.getOutcome().name().toLowerCase(Locale.ROOT);
        };
    }
}
