package io.github.jakartaratelimit.storage;

import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;

import java.io.Serializable;
import java.util.Arrays;

import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/**
 * Debits a lease where the key lives ({@link Policy#grant}) and answers with the decision's longs followed by the
 * units granted and the milliseconds the window has left, by the owner's clock.
 */
final class LeaseProcessor implements EntryProcessor<String, long[], long[]>, Serializable {

    private static final long serialVersionUID = 1L;

    private final Policy policy;
    private final long cost;
    private final long want;
    private final int holder;
    private final TimeSource clock;

    LeaseProcessor(Policy policy, long cost, long want, int holder, TimeSource clock) {
        this.policy = policy;
        this.cost = cost;
        this.want = want;
        this.holder = holder;
        this.clock = clock;
    }

    @Override
    public long[] process(MutableEntry<String, long[]> entry, Object... arguments) {
        Policy.Grant grant = policy.grant(entry.getValue(), clock.currentTimeMillis(), cost, want, holder);
        if (grant.next() != null) {
            entry.setValue(grant.next());
        }
        long[] decision = grant.decision().encode();
        long[] reply = Arrays.copyOf(decision, decision.length + 2);
        reply[decision.length] = grant.granted();
        reply[decision.length + 1] = grant.windowLeftMillis();
        return reply;
    }
}
