package dev.hypr.controller.util;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads when the JVM has them (21+), daemon platform threads on 17: the build
 * targets 17, so the virtual-thread API is reached reflectively, once.
 */
public final class Threads {
    private static final ThreadFactory FACTORY = pickFactory();

    private Threads() {
    }

    public static Thread start(String name, Runnable task) {
        Thread t = FACTORY.newThread(task);
        t.setName(name);
        t.start();
        return t;
    }

    /** An executor running each task on its own (virtual when possible) thread. */
    public static ExecutorService perTaskExecutor() {
        return Executors.newCachedThreadPool(FACTORY);
    }

    private static ThreadFactory pickFactory() {
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Object builder = ofVirtual.invoke(null);
            Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
            return (ThreadFactory) factory.invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return r -> {
                Thread t = new Thread(r);
                t.setDaemon(true);
                return t;
            };
        }
    }
}
