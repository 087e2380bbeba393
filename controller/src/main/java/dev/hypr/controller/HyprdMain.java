package dev.hypr.controller;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** hyprd entry point. */
@QuarkusMain
public final class HyprdMain {
    public static void main(String[] args) {
        Quarkus.run(args);
    }
}
