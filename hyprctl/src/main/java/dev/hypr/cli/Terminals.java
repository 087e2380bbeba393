package dev.hypr.cli;

/** Whether hyprctl runs on a terminal, the same answer on JDK 17 and on JDK 22+. */
public final class Terminals {
    private Terminals() {
    }

    /**
     * From JDK 22 {@code System.console()} is non-null even when stdin or stdout is redirected;
     * its {@code isTerminal()} (reached reflectively: the build targets 17) tells the truth there.
     */
    public static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only when both streams are a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
