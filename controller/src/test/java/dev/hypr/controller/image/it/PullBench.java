package dev.hypr.controller.image.it;

import dev.hypr.controller.image.ImagePuller;
import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.image.PullProgress;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.RegistryClient;
import dev.hypr.controller.image.registry.RegistryOptions;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Executors;

/**
 * bench/image-pull.sh: one cold pull + convert into an empty store; prints milliseconds.
 * Arguments: reference, store directory, [compressor (zstd)], [level (hypr's default for it)].
 */
public final class PullBench {
    public static void main(String[] args) throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        String compressor = args.length > 2 ? args[2] : "zstd";
        OptionalInt level = args.length > 3 ? OptionalInt.of(Integer.parseInt(args[3])) : SquashfsBuilder.defaultLevel(compressor);
        ImageStore store = new ImageStore(Path.of(args[1]));
        long t0 = System.nanoTime();
        new ImagePuller(new RegistryClient(CredentialStore.none(), RegistryOptions.defaults()), store,
                new SquashfsBuilder("tar2sqfs", compressor, level), pool, 1L << 36, 10_000_000)
                .pull(ImageReference.parse(args[0]), Platform.DEFAULT, PullProgress.NONE);
        System.out.println((System.nanoTime() - t0) / 1_000_000);
        pool.shutdownNow();
    }
}
