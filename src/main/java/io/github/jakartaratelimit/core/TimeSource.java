package io.github.jakartaratelimit.core;

import java.io.Serializable;

/**
 * The clock the algorithms read, in epoch milliseconds. Serializable because it travels inside the entry
 * processor to the member that owns a key; that member's own clock then decides, so the nodes of a
 * cluster never disagree about one key's window.
 */
@FunctionalInterface
public interface TimeSource extends Serializable {

    /** The wall clock of whichever JVM evaluates the call. */
    TimeSource SYSTEM = SystemTime.INSTANCE;

    long currentTimeMillis();

    /** An enum, so that it deserializes to the singleton and reads the local clock wherever it lands. */
    enum SystemTime implements TimeSource {
        INSTANCE;

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }
    }
}
