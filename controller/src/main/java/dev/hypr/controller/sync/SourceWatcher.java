package dev.hypr.controller.sync;

import dev.hypr.api.sync.SettledSourceReader;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Watches the directories of path sources (recursively: WatchService watches one directory
 * at a time) and reports the Sync whose source changed once the directory has been quiet for
 * the quiet period (a trailing debounce: a save of 20 files wakes one pass, after the last),
 * instead of at the next interval. Changes to editors' scratch files wake nothing. Only a
 * wake-up: the pass re-reads everything and checks the read was consistent anyway.
 */
final class SourceWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SourceWatcher.class);

    private final Consumer<String> onChange;
    private final Duration quiet;
    private final Map<String, Path> rootBySync = new HashMap<>();
    /** When each Sync's source last changed, and whether a quiet check is scheduled for it. */
    private final Map<String, Long> lastChangeNanos = new HashMap<>();
    private final Set<String> checkScheduled = new HashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hypr-sync-debounce");
        t.setDaemon(true);
        return t;
    });
    private final Map<WatchKey, String> syncByKey = new HashMap<>();
    private WatchService service;
    private Thread thread;

    SourceWatcher(Duration quiet, Consumer<String> onChange) {
        this.quiet = quiet;
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
        lastChangeNanos.remove(syncName);
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
        timer.shutdownNow();
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
            if (syncName != null && events.stream().anyMatch(SourceWatcher::matters)) {
                changed(syncName);
            }
        }
    }

    /** An overflow (events lost) or any name but an editor's scratch file. */
    private static boolean matters(WatchEvent<?> event) {
        return !(event.context() instanceof Path name) || !SettledSourceReader.isEditorScratch(name.toString());
    }

    private synchronized void changed(String syncName) {
        if (!rootBySync.containsKey(syncName)) {
            return;
        }
        lastChangeNanos.put(syncName, System.nanoTime());
        if (checkScheduled.add(syncName)) {
            timer.schedule(() -> quietCheck(syncName), quiet.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Wakes the Sync when nothing changed for the quiet period; otherwise looks again when it will have. */
    private void quietCheck(String syncName) {
        synchronized (this) {
            Long last = lastChangeNanos.get(syncName);
            if (last == null) {
                checkScheduled.remove(syncName);
                return;
            }
            long left = last + quiet.toNanos() - System.nanoTime();
            if (left > 0) {
                timer.schedule(() -> quietCheck(syncName), left, TimeUnit.NANOSECONDS);
                return;
            }
            checkScheduled.remove(syncName);
            lastChangeNanos.remove(syncName);
        }
        onChange.accept(syncName);
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
