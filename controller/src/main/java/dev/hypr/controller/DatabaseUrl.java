package dev.hypr.controller;

import java.nio.file.Path;

/** The SQLite JDBC URL with the pragmas every connection needs. */
public final class DatabaseUrl {
    private DatabaseUrl() {
    }

    /**
     * WAL lets readers run beside the single writer; synchronous=FULL makes a commit
     * durable before the API acknowledges it; busy_timeout rides out checkpoints and the
     * other writer (the event log writes on its own connection). transaction_mode=IMMEDIATE
     * takes the write lock at BEGIN: a deferred transaction that reads and then writes fails
     * at once with SQLITE_BUSY_SNAPSHOT when another connection wrote in between, which no
     * busy_timeout waits out.
     */
    public static String forFile(Path db) {
        return "jdbc:sqlite:" + db.toAbsolutePath()
                + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true&transaction_mode=IMMEDIATE";
    }
}
