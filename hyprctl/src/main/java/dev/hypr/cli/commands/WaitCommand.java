package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DurationConverter;
import dev.hypr.cli.KindRef;
import dev.hypr.cli.ObjectWaiter;
import dev.hypr.cli.WaitCondition;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyprctl wait KIND/NAME --for=...}: blocks (on the Watch stream) until the condition holds. */
@Command(name = "wait", addMethodSubcommands = false, description = {"Wait until objects reach a condition, are deleted or a field has a value.",
        "Examples: --for=condition=Ready  --for=condition=Ready=False  --for=delete",
        "          --for=jsonpath='{.status.phase}'=Running"})
public final class WaitCommand extends BaseCommand {
    @Parameters(paramLabel = "KIND/NAME...|KIND NAME...", arity = "1..*", completionCandidates = KindCandidates.class,
            description = "Objects to wait for.")
    List<String> args;

    @Option(names = "--for", required = true, paramLabel = "CONDITION",
            description = "delete, condition=TYPE[=STATUS] (STATUS defaults to True), or jsonpath={.path}[=VALUE].")
    String forSpec;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "Give up after this long (default: ${DEFAULT-VALUE}); 0s checks once.")
    Duration timeout;

    @Override
    public Integer call() {
        WaitCondition condition = WaitCondition.parse(forSpec);
        List<KindRef> refs = KindRef.parse(args);
        Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ObjectWaiter waiter = new ObjectWaiter(connection());
        for (KindRef ref : refs) {
            Optional<JsonNode> current = waiter.current(ref.kind(), ref.name());
            if (current.isEmpty() && !condition.isDelete()) {
                throw new CliException(ref.kind().singular() + " \"" + ref.name() + "\" not found");
            }
            boolean[] deleted = {false};
            boolean met = waiter.await(ref.kind(), ref.name(), current, ObjectWaiter.revisionOf(current), deadline,
                    seen -> {
                        if (seen.isEmpty() && !condition.isDelete()) {
                            deleted[0] = true;
                            return true;
                        }
                        return condition.test(seen);
                    });
            if (deleted[0]) {
                throw new CliException(ref + " was deleted while waiting for the condition");
            }
            if (!met) {
                throw new CliException("timed out waiting for the condition on " + ref);
            }
            out().println(ref + " condition met");
            out().flush();
        }
        return 0;
    }
}
