package io.github.jakartaratelimit.cdi;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Threads for calls to the counter store. Looked up, never injected with {@code @Resource}: servers do not all
 * process resource annotations of classes in {@code WEB-INF/lib} (Payara does not in a war without EJBs).
 */
final class Threads {

    private static final Logger LOG = Logger.getLogger(Threads.class.getName());
    private static final String DEFAULT_FACTORY = "java:comp/DefaultManagedThreadFactory";

    private Threads() {
    }

    /**
     * The server's default managed thread factory, which gives the threads the application's context (Payara's
     * data grid resolves the entry processor's classes through it); plain daemon threads where it is missing.
     */
    static ThreadFactory managed(String name, ClassLoader loader) {
        try {
            return (ThreadFactory) new InitialContext().lookup(DEFAULT_FACTORY);
        } catch (NamingException | ClassCastException e) {
            LOG.log(Level.FINE, "No " + DEFAULT_FACTORY + "; plain threads call the counter store", e);
            return plain(name, loader);
        }
    }

    /** Daemon threads with the application's class loader, which need nothing of the server to start. */
    static ThreadFactory plain(String name, ClassLoader loader) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(loader);
            return thread;
        };
    }
}
