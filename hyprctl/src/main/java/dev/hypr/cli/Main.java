package dev.hypr.cli;

/** hyprctl entry point (placeholder until the CLI lands). */
public final class Main {
    public static void main(String[] args) {
        System.out.println("hyprctl");
    }
}
