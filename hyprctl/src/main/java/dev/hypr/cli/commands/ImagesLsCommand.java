package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.grpc.ImageInfo;
import dev.hypr.api.grpc.ImageRef;
import dev.hypr.api.grpc.ListImagesRequest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.ImageInfoJson;
import dev.hypr.cli.output.Age;
import dev.hypr.cli.output.ObjectPrinter;
import dev.hypr.cli.output.Sizes;
import dev.hypr.cli.output.TablePrinter;
import dev.hypr.cli.output.YamlWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hyprctl images ls}: the images in hyprd's store, one row per reference (as docker images). */
@Command(name = "ls", addMethodSubcommands = false, aliases = {"list"}, description = {"List the images in hyprd's store: one row per reference",
        "(<none> for an image no reference resolves to), with its digest, platform, size, age and users."})
public final class ImagesLsCommand extends ImagesSubcommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml (default: a table).")
    String output;

    @Override
    public Integer call() {
        List<ImageInfo> images = api().listImages(ListImagesRequest.getDefaultInstance()).getImagesList();
        if (output != null) {
            List<JsonNode> items = images.stream().map(i -> (JsonNode) ImageInfoJson.of(i)).toList();
            switch (output) {
                case "json" -> out().println(ObjectPrinter.prettyJson(ObjectPrinter.listOf(items)));
                case "yaml", "yml" -> out().print(YamlWriter.write(ObjectPrinter.listOf(items)));
                default -> throw new CliException("unknown output format \"" + output + "\" (allowed: json, yaml)", 2);
            }
            return 0;
        }
        TablePrinter table = new TablePrinter(List.of("REF", "DIGEST", "PLATFORM", "SIZE", "AGE", "USED BY"));
        Instant now = env().clock().instant();
        for (ImageInfo i : images) {
            String age = Age.since(Instant.ofEpochMilli(i.getPulledAtMillis()).toString(), now);
            String users = i.getUsedByCount() == 0 ? "" : String.join(",", i.getUsedByList());
            List<String> refs = i.getRefsList().stream().map(ImageRef::getRef).distinct().toList();
            for (String ref : refs.isEmpty() ? List.of("<none>") : refs) {
                table.row(List.of(ref, shortDigest(i.getDigest()), i.getPlatform(), Sizes.bytes(i.getSizeBytes()), age, users));
            }
        }
        table.print(out(), true);
        return 0;
    }

    static String shortDigest(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return hex.substring(0, Math.min(12, hex.length()));
    }
}
