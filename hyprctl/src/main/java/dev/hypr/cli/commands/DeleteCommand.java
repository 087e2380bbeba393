package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.grpc.DeleteReply;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DurationConverter;
import dev.hypr.cli.KindRef;
import dev.hypr.cli.ManifestInput;
import dev.hypr.cli.ObjectWaiter;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl delete KIND NAME... | -f FILE}: asks hyprd to delete; the object disappears once
 * its finalizers are done, which {@code --wait} waits for.
 */
@Command(name = "delete", addMethodSubcommands = false, description = {"Delete objects by kind and name, or those named in files.",
        "An object with finalizers disappears only once they are done; --wait waits for that."})
public final class DeleteCommand extends BaseCommand {
    @Parameters(paramLabel = "KIND NAME...|KIND/NAME...", arity = "0..*", completionCandidates = KindCandidates.class,
            description = "Objects to delete.")
    List<String> args = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-",
            description = "Delete the objects these manifests name. Repeatable.")
    List<String> files;

    @Option(names = {"-R", "--recursive"}, description = "Also read sub-directories of -f DIR.")
    boolean recursive;

    @Option(names = "--wait", description = "Wait until the objects are gone.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--ignore-not-found", description = "Objects that do not exist are not an error.")
    boolean ignoreNotFound;

    @Override
    public Integer call() {
        List<KindRef> refs = new ArrayList<>();
        if (files != null && !files.isEmpty()) {
            if (!args.isEmpty()) {
                throw new CliException("give either KIND NAME... or -f FILE, not both", 2);
            }
            List<Manifest> manifests = ManifestInput.loadOrFail(files, recursive, env().in(), false, err(),
                    "nothing was deleted");
            for (Manifest m : manifests) {
                Kind kind = Kind.fromKindName(m.kind()).orElseThrow(() -> new CliException(
                        m.position() + ": unknown kind \"" + m.kind() + "\""));
                refs.add(new KindRef(kind, m.name()));
            }
        } else {
            refs.addAll(KindRef.parse(args));
        }

        boolean failed = false;
        List<KindRef> pending = new ArrayList<>();
        List<Long> revisions = new ArrayList<>();
        for (KindRef ref : refs) {
            DeleteReply reply;
            try {
                reply = api().delete(DeleteRequest.newBuilder().setKind(ref.kind().kindName()).setName(ref.name())
                        .build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
                if (!ignoreNotFound) {
                    err().println("error: " + ref.kind().singular() + " \"" + ref.name() + "\" not found");
                    failed = true;
                }
                continue;
            }
            out().println(ref + " deleted");
            out().flush();
            if (!reply.getGone()) {
                pending.add(ref);
                Optional<JsonNode> now = reply.getJson().isEmpty() ? Optional.empty()
                        : Optional.of(Json.parseObject(reply.getJson()));
                revisions.add(ObjectWaiter.revisionOf(now));
            }
        }

        if (await && !pending.isEmpty()) {
            Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ObjectWaiter waiter = new ObjectWaiter(connection());
            for (int i = 0; i < pending.size(); i++) {
                KindRef ref = pending.get(i);
                Optional<JsonNode> current = waiter.current(ref.kind(), ref.name());
                long from = current.isPresent() ? ObjectWaiter.revisionOf(current) : revisions.get(i);
                if (!waiter.await(ref.kind(), ref.name(), current, from, deadline, Optional::isEmpty)) {
                    throw new CliException("timed out waiting for " + ref + " to be deleted");
                }
            }
        }
        return failed ? 1 : 0;
    }
}
