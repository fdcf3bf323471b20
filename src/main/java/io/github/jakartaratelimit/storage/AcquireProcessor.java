package io.github.jakartaratelimit.storage;

import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;

import java.io.Serializable;

import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * One check-and-count, run by the cache under the entry's lock (on a distributed cache, by the member
 * that owns the key, which also supplies the time). Writes only when the call is admitted, so the
 * rejection path costs a read. On a distributed cache this class must be loadable where the key lives:
 * deploy the same application on every member (as on Payara), or put this library on a standalone
 * member's classpath.
 */
final class AcquireProcessor implements EntryProcessor<String, long[], long[]>, Serializable {

    private static final long serialVersionUID = 1L;

    private final Policy policy;
    private final long cost;
    private final TimeSource clock;

    AcquireProcessor(Policy policy, long cost, TimeSource clock) {
        this.policy = policy;
        this.cost = cost;
        this.clock = clock;
    }

    @Override
    public long[] process(MutableEntry<String, long[]> entry, Object... arguments) {
        return apply(entry).decision().encode(); // JDK types only on the way back, see Decision
    }

    /** Decides the call on the entry and writes the counter's next state, if any. */
    Policy.Transition apply(MutableEntry<String, long[]> entry) {
        Policy.Transition transition = policy.acquire(entry.getValue(), clock.currentTimeMillis(), cost);
        if (transition.next() != null) {
            entry.setValue(transition.next());
        }
        return transition;
    }
}
