package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Kind;
import dev.hypr.cli.PullProgressView;
import dev.hypr.cli.output.Age;
import dev.hypr.cli.output.TablePrinter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code hyprctl images ls}: one row per Image object. */
@Command(name = "ls", aliases = {"list"}, description = "List images: NAME, REF, DIGEST (short), SIZE (compressed), AGE.")
public final class ImagesLsCommand extends ImagesSubcommand {
    @Override
    public Integer call() {
        TablePrinter table = new TablePrinter(List.of("NAME", "REF", "DIGEST", "SIZE", "AGE"));
        for (JsonNode img : list(Kind.IMAGE)) {
            JsonNode status = img.path("status");
            String digest = status.path("digest").asText("");
            table.row(List.of(img.path("metadata").path("name").asText(), img.path("spec").path("ref").asText(),
                    digest.isEmpty() ? "<pending>" : shortDigest(digest),
                    status.has("sizeBytes") ? PullProgressView.bytes(status.path("sizeBytes").asLong()) : "",
                    Age.since(img.path("metadata").path("creationTimestamp").asText(""), env().clock().instant())));
        }
        table.print(out(), true);
        return 0;
    }

    static String shortDigest(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return hex.substring(0, Math.min(12, hex.length()));
    }
}
