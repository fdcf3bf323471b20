package io.github.jakartaratelimit.it.app;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/** Counts server log records that carry a rate limit exception: a rejection must not log a stack trace. */
@ApplicationScoped
public class StackTraceWatch {

    private final AtomicInteger count = new AtomicInteger();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                if (t.getClass().getName().contains("RateLimitExceeded") || t.getClass().getName().startsWith("jakarta.ejb.")) {
                    count.incrementAndGet();
                    return;
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    void install(@Observes @Initialized(ApplicationScoped.class) Object started) {
        Logger.getLogger("").addHandler(handler);
    }

    @PreDestroy
    void uninstall() {
        Logger.getLogger("").removeHandler(handler);
    }

    int count() {
        return count.get();
    }
}
