package dev.hypr.cli.commands;

import dev.hypr.api.grpc.GetImageRequest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.ImageInfoJson;
import dev.hypr.cli.output.ObjectPrinter;
import dev.hypr.cli.output.YamlWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyprctl images inspect REF|DIGEST}: one stored image in full. */
@Command(name = "inspect", addMethodSubcommands = false, description = "Show a stored image: digest, references, layers, config, rootfs, users.")
public final class ImagesInspectCommand extends ImagesSubcommand {
    @Parameters(paramLabel = "REF|DIGEST", description = "A reference, sha256:<hex>, or a unique prefix of the digest.")
    String image;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "For a reference stored for several platforms.")
    String platform;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "yaml (default) or json.")
    String output;

    @Override
    public Integer call() {
        GetImageRequest.Builder request = GetImageRequest.newBuilder().setImage(image);
        if (platform != null) {
            request.setPlatform(platform);
        }
        var shown = ImageInfoJson.of(api().getImage(request.build()));
        switch (output) {
            case "json" -> out().println(ObjectPrinter.prettyJson(shown));
            case "yaml", "yml" -> out().print(YamlWriter.write(shown));
            default -> throw new CliException("unknown output format \"" + output + "\" (allowed: yaml, json)", 2);
        }
        return 0;
    }
}
