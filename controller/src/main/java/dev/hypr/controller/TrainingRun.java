package dev.hypr.controller;

import io.quarkus.runtime.QuarkusApplication;

/** Starts the whole daemon and returns at once: the JVM records what start-up loads. */
public final class TrainingRun implements QuarkusApplication {
    @Override
    public int run(String... args) {
        return 0;
    }
}
