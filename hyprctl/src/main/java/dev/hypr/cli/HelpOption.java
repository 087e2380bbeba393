package dev.hypr.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for every command (a mixin, since the help subcommand has its own). */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;
}
