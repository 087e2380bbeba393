import dev.hypr.api.compose.ComposeRequest;
import dev.hypr.api.compose.ComposeResult;
import dev.hypr.api.compose.ComposeTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Translation time per compose file of a corpus directory, in one JVM (bench/compose-up.sh runs it with
 * hyprctl's class path): a first (cold) pass over every file, then ROUNDS warm passes; prints
 * "file cold_ms warm_median_us ok|errors".
 */
public class ComposeCorpusTiming {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList();
        }
        long coldTotal = System.nanoTime();
        List<Double> cold = new ArrayList<>();
        for (Path f : files) {
            long t = System.nanoTime();
            translate(f);
            cold.add((System.nanoTime() - t) / 1e6);
        }
        coldTotal = System.nanoTime() - coldTotal;
        List<Long> allWarm = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            List<Long> warm = new ArrayList<>();
            ComposeResult r = null;
            for (int k = 0; k < rounds; k++) {
                long t = System.nanoTime();
                r = translate(f);
                warm.add((System.nanoTime() - t) / 1000);
            }
            warm.sort(null);
            allWarm.add(warm.get(warm.size() / 2));
            System.out.printf("%s %.1f %d %s%n", f.getFileName(), cold.get(i), warm.get(warm.size() / 2),
                    r.ok() ? "ok" : r.errors().size() + "-errors");
        }
        allWarm.sort(null);
        System.out.printf("TOTAL files=%d cold_total_ms=%.0f warm_median_us=%d warm_max_us=%d%n", files.size(), coldTotal / 1e6,
                allWarm.get(allWarm.size() / 2), allWarm.get(allWarm.size() - 1));
    }

    private static ComposeResult translate(Path f) {
        return ComposeTranslator.translate(new ComposeRequest(List.of(f), null, List.of(), List.of(), Map.of(), null));
    }
}
