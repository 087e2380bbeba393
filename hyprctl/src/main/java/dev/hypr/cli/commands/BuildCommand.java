package dev.hypr.cli.commands;

import com.google.protobuf.ByteString;
import dev.hypr.api.grpc.BuildOptions;
import dev.hypr.api.grpc.BuildResult;
import dev.hypr.cli.BuildClient;
import dev.hypr.cli.CliException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl build CONTEXT}: docker build's options. Applies .dockerignore (with {@code !}
 * and {@code **}), streams the context as a tar to hyprd over {@code Build} and prints one line
 * per step as hyprd runs it (CACHED where the cache answered), the steps' output with
 * {@code --progress=plain}, and the failing step with its exit code.
 */
@Command(name = "build", addMethodSubcommands = false,
        description = {"Build an image from a Dockerfile in build microVMs and store it in hyprd's image store."})
public final class BuildCommand extends BaseCommand {
    @Parameters(paramLabel = "CONTEXT", description = "The build context directory.")
    Path contextDir;

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Tag the image (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: CONTEXT/Dockerfile; - reads stdin).")
    String file;

    @Option(names = "--build-arg", paramLabel = "K=V", description = "Set a build argument (repeatable; K alone takes it from the environment).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage (default: the last).")
    String target;

    @Option(names = "--no-cache", description = "Run every step, whatever the cache holds.")
    boolean noCache;

    @Option(names = "--network", paramLabel = "default|none", defaultValue = "default",
            description = "RUN steps' network: user-mode NAT (default) or none.")
    String network;

    @Option(names = "--secret", paramLabel = "id=X,src=FILE", description = "A secret for RUN --mount=type=secret,id=X (repeatable).")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--progress", paramLabel = "auto|plain", defaultValue = "auto",
            description = "plain also prints every step's output.")
    String progress;

    @Option(names = "--output", paramLabel = "type=oci,dest=DIR", description = "Also write the image as an OCI layout to DIR.")
    String output;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(contextDir)) {
            throw new CliException("build context " + contextDir + " is not a directory");
        }
        if (!network.equals("default") && !network.equals("none")) {
            throw new CliException("--network must be default or none, not " + network, 2);
        }
        if (!progress.equals("auto") && !progress.equals("plain")) {
            throw new CliException("--progress must be auto or plain, not " + progress, 2);
        }
        BuildOptions.Builder options = BuildOptions.newBuilder().addAllTags(tags).setNoCache(noCache)
                .setNetworkNone(network.equals("none")).setPlainProgress(progress.equals("plain"));
        Path dockerfile = file == null ? contextDir.resolve("Dockerfile") : Path.of(file);
        if ("-".equals(file)) {
            options.setDockerfile(new String(env().in().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).setDockerfileName("Dockerfile");
        } else {
            if (!Files.isRegularFile(dockerfile)) {
                throw new CliException("Dockerfile " + dockerfile + " not found");
            }
            options.setDockerfile(Files.readString(dockerfile)).setDockerfileName(dockerfile.getFileName().toString());
        }
        if (target != null) options.setTarget(target);
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                String v = env().getenv(a);
                if (v != null) options.putBuildArgs(a, v);
            } else {
                options.putBuildArgs(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        for (String s : secrets) {
            Map<String, String> kv = keyValues(s, "--secret");
            String id = kv.get("id");
            String src = kv.getOrDefault("src", kv.get("source"));
            if (id == null || src == null) throw new CliException("--secret needs id=X,src=FILE: " + s, 2);
            options.putSecrets(id, ByteString.copyFrom(Files.readAllBytes(Path.of(src))));
        }
        if (output != null) {
            Map<String, String> kv = keyValues(output, "--output");
            if (!"oci".equals(kv.get("type")) || kv.get("dest") == null) {
                throw new CliException("--output supports type=oci,dest=DIR: " + output, 2);
            }
            options.setOciOutput(Path.of(kv.get("dest")).toAbsolutePath().toString());
        }
        PrintStream stdout = ExecStreams.stdout(env());
        BuildResult result = new BuildClient(connection().channel()).build(contextDir, options.build(), stdout);
        stdout.println(BuildClient.summary(result));
        stdout.flush();
        return 0;
    }

    private static Map<String, String> keyValues(String s, String option) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) throw new CliException(option + ": expected key=value pairs: " + s, 2);
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return out;
    }
}
