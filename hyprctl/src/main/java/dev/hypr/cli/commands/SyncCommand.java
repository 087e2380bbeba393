package dev.hypr.cli.commands;

import dev.hypr.api.Labels;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.sync.ObjectResult;
import dev.hypr.api.sync.SettledSourceReader;
import dev.hypr.api.sync.SourceSnapshot;
import dev.hypr.api.sync.SyncAction;
import dev.hypr.api.sync.SyncEngine;
import dev.hypr.api.sync.SyncReport;
import dev.hypr.api.validation.ObjectValidator;
import dev.hypr.cli.CliException;
import dev.hypr.cli.GrpcSyncTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl sync DIR}: one pass of the engine hyprd's Sync controller runs, from the client:
 * validate the whole directory, apply what differs, prune with --prune.
 */
@Command(name = "sync", addMethodSubcommands = false, subcommands = SyncReconcileCommand.class,
        description = {"Apply a GitOps directory once, as a Sync would: validate everything, apply what differs,"
                + " prune with --prune.",
                "Objects get the label hypr.dev/sync=NAME; any invalid file applies nothing."})
public final class SyncCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Directory of *.yaml/*.yml/*.json (recursive).")
    Path directory;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Sync name in the hypr.dev/sync label (default: the directory's name).")
    String name;

    @Option(names = "--prune", description = "Delete objects labelled for NAME that are no longer in DIR.")
    boolean prune;

    @Option(names = "--dry-run", description = "Show what would be created, configured and pruned; change nothing.")
    boolean dryRun;

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public Integer call() {
        if (directory == null) { // optional only so that `sync reconcile NAME` parses
            throw new CliException("missing DIR: hyprctl sync DIR [--prune] [--dry-run] [--name NAME]", 2);
        }
        String syncName = name != null ? name : defaultName(directory);
        Labels.nameProblem(syncName).ifPresent(p -> {
            throw new CliException("--name: " + p, 2);
        });
        String prefix = directory.toString().endsWith("/") ? directory.toString() : directory + "/";
        SyncReport report = new SyncEngine(ObjectValidator.standard()).run(syncName,
                settledRead(prefix), prune, dryRun, new GrpcSyncTarget(this::api));
        report.notes().forEach(n -> err().println("note: " + n));
        if (!report.valid()) {
            report.errors().stream().map(ManifestError::format).forEach(e -> err().println("error: " + e));
            throw new CliException("nothing was applied");
        }
        String suffix = dryRun ? " (dry run)" : "";
        for (ObjectResult r : report.results()) {
            String message = r.action() == SyncAction.CONFLICT ? ": " + r.message() : "";
            out().println(r.line() + message + suffix);
        }
        if (!report.conflicts().isEmpty()) {
            throw new CliException(report.conflicts().size() + " object(s) managed by another Sync were not applied");
        }
        return 0;
    }

    /** The same consistency rule as the Sync controller: only a read no file changed during. */
    private SourceSnapshot settledRead(String prefix) {
        try {
            return SettledSourceReader.readWhenSettled(directory, prefix, SettledSourceReader.DEFAULT_QUIET,
                    SETTLE_TIMEOUT, Clock.systemUTC()).orElseThrow(() -> new CliException(directory
                    + " kept changing for " + SETTLE_TIMEOUT.toSeconds() + " s (files being written, or a git"
                    + " operation holding .git/index.lock); nothing was applied"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted; nothing was applied");
        }
    }

    /** "examples/gitops" → "gitops", made a valid name. */
    static String defaultName(Path directory) {
        Path base = directory.toAbsolutePath().normalize().getFileName();
        String n = (base == null ? "root" : base.toString()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        return n.isEmpty() ? "root" : n.length() > 63 ? n.substring(0, 63).replaceAll("-+$", "") : n;
    }
}
