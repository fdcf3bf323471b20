package io.github.jakartaratelimit.it.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * Collects what the server logs as an error, or as a warning with a stack trace, while the application runs, and
 * every record that carries a rate limit or EJB exception whatever its level: serving calls, rejected ones
 * included, must log none.
 */
@ApplicationScoped
public class LogWatch {

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            int level = record.getLevel().intValue();
            if (level >= Level.SEVERE.intValue() || level >= Level.WARNING.intValue() && record.getThrown() != null
                    || rateLimitOrEjb(record.getThrown())) {
                errors.add(record.getLoggerName() + ": " + record.getMessage()
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static boolean rateLimitOrEjb(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t.getClass().getName().contains("RateLimit") || t.getClass().getName().startsWith("jakarta.ejb.")) {
                return true;
            }
        }
        return false;
    }

    void install(@Observes @Initialized(ApplicationScoped.class) Object started) {
        Logger.getLogger("").addHandler(handler);
    }

    @PreDestroy
    void uninstall() {
        Logger.getLogger("").removeHandler(handler);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }
}
