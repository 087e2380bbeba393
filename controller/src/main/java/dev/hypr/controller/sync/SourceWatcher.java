package dev.hypr.controller.sync;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Watches the directories of path sources (recursively: WatchService watches one directory
 * at a time) and reports the Sync whose source changed, so a pass starts at once instead of
 * at the next interval. Only a wake-up: the pass re-reads everything anyway.
 */
final class SourceWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SourceWatcher.class);

    private final Consumer<String> onChange;
    private final Map<String, Path> rootBySync = new HashMap<>();
    private final Map<WatchKey, String> syncByKey = new HashMap<>();
    private WatchService service;
    private Thread thread;

    SourceWatcher(Consumer<String> onChange) {
        this.onChange = onChange;
    }

    /** Watch {@code root} for {@code syncName}; a no-op when it already is watched. */
    synchronized void watch(String syncName, Path root) {
        if (root.equals(rootBySync.get(syncName))) {
            return;
        }
        stop(syncName);
        try {
            start();
            registerTree(syncName, root);
            rootBySync.put(syncName, root);
        } catch (IOException e) {
            // The interval still brings changes in; only the instant wake-up is lost.
            LOG.warnf("sync/%s: cannot watch %s: %s", syncName, root, e.getMessage());
            stop(syncName);
        }
    }

    synchronized void stop(String syncName) {
        rootBySync.remove(syncName);
        syncByKey.entrySet().removeIf(e -> {
            if (e.getValue().equals(syncName)) {
                e.getKey().cancel();
                return true;
            }
            return false;
        });
    }

    @Override
    public synchronized void close() throws IOException {
        if (service != null) {
            service.close();
        }
    }

    private void start() throws IOException {
        if (service == null) {
            service = FileSystems.getDefault().newWatchService();
            WatchService watching = service;
            thread = new Thread(() -> loop(watching), "hypr-sync-watch");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void registerTree(String syncName, Path root) throws IOException {
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !isHidden(root, d)).toList()) {
                WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                syncByKey.put(key, syncName);
            }
        }
    }

    private void loop(WatchService watching) {
        while (true) {
            WatchKey key;
            try {
                key = watching.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            List<WatchEvent<?>> events = key.pollEvents();
            String syncName = onEvents(key, events);
            key.reset();
            if (syncName != null) {
                onChange.accept(syncName);
            }
        }
    }

    /** Registers new sub-directories; returns the Sync to wake, or null for a cancelled key. */
    private synchronized String onEvents(WatchKey key, List<WatchEvent<?>> events) {
        String syncName = syncByKey.get(key);
        if (syncName == null) {
            return null;
        }
        for (WatchEvent<?> event : events) {
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && event.context() instanceof Path name) {
                Path created = ((Path) key.watchable()).resolve(name);
                if (Files.isDirectory(created) && !name.toString().startsWith(".")) {
                    try {
                        registerTree(syncName, created);
                    } catch (IOException e) {
                        LOG.debugf("sync/%s: cannot watch new directory %s: %s", syncName, created, e.getMessage());
                    }
                }
            }
        }
        return syncName;
    }

    private static boolean isHidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
