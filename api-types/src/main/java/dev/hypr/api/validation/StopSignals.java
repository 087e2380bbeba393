package dev.hypr.api.validation;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** Signal names and numbers as Linux (x86_64 and arm64) and docker's stop_signal spell them. */
public final class StopSignals {
    /** Index = signal number; 16 (STKFLT) and 32/33 (libc's) are not offered by name. */
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
            "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
            "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    private static final int MAX = 64;

    private StopSignals() {
    }

    /** SIGQUIT, QUIT, sigquit, 3, SIGRTMIN+2: the number; empty for anything else. */
    public static OptionalInt number(String signal) {
        if (signal == null || signal.isBlank()) {
            return OptionalInt.empty();
        }
        String s = signal.trim().toUpperCase(Locale.ROOT);
        if (s.matches("\\d{1,3}")) {
            int n = Integer.parseInt(s);
            return n >= 1 && n <= MAX ? OptionalInt.of(n) : OptionalInt.empty();
        }
        s = s.startsWith("SIG") ? s.substring(3) : s;
        switch (s) {
            case "IOT" -> s = "ABRT";
            case "POLL" -> s = "IO";
            case "CLD" -> s = "CHLD";
            default -> { }
        }
        int index = NAMES.indexOf(s);
        if (index > 0) {
            return OptionalInt.of(index);
        }
        if (s.matches("RTMIN(\\+\\d{1,2})?")) {
            int n = 34 + (s.length() > 5 ? Integer.parseInt(s.substring(6)) : 0);
            return n <= MAX ? OptionalInt.of(n) : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    /** The error for a signal {@link #number} does not know. */
    static String problem(String signal) {
        return "unknown signal \"" + signal + "\": use a name such as SIGTERM, SIGQUIT or SIGINT, or a number from 1 to " + MAX;
    }
}
