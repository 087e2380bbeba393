package dev.hypr.controller;

import dev.hypr.api.validation.ObjectValidator;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.util.Threads;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * hyprd entry point. Paths depend on who runs the daemon and on HYPR_* variables, which
 * Quarkus configuration cannot express, so they are resolved here before Quarkus starts.
 */
@QuarkusMain
public final class HyprdMain {
    public static void main(String[] args) throws Exception {
        HyprPaths paths = HyprPaths.fromEnvironment();
        paths.createDirectories();
        setIfAbsent("hypr.home", paths.home().toString());
        setIfAbsent("hypr.socket", paths.socket().toString());
        setIfAbsent("quarkus.datasource.jdbc.url", DatabaseUrl.forFile(paths.database()));
        setFromEnv("HYPR_REST_PORT", "quarkus.http.port");
        setFromEnv("HYPR_METRICS_PORT", "quarkus.management.port");
        // Parsing the CRDs and compiling their schemas takes ~150 ms; done on another core while
        // Quarkus boots, the API finds the validator ready (ObjectValidator.standard() waits if not).
        Threads.start("schema-preload", ObjectValidator::standard);
        if ("1".equals(System.getenv("HYPR_EXIT_AFTER_START"))) {
            // Training start for the launcher's AOT cache: come up fully, then leave.
            Quarkus.run(TrainingRun.class, args);
        } else {
            Quarkus.run(args);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void setFromEnv(String env, String key) {
        String v = System.getenv(env);
        if (v != null && !v.isBlank()) {
            System.setProperty(key, v);
        }
    }
}
