package io.github.jakartaratelimit.storage;

import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.Policy;

import java.io.Serializable;

import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;

/** Takes back, atomically, a call a decision admitted (see {@link Policy#refund}); carries the decision as longs. */
final class RefundProcessor implements EntryProcessor<String, long[], Void>, Serializable {

    private static final long serialVersionUID = 1L;

    private final Policy policy;
    private final long cost;
    private final long[] charged;

    RefundProcessor(Policy policy, long cost, Decision charged) {
        this.policy = policy;
        this.cost = cost;
        this.charged = charged.encode();
    }

    @Override
    public Void process(MutableEntry<String, long[]> entry, Object... arguments) {
        long[] next = policy.refund(entry.getValue(), Decision.decode(charged), cost);
        if (next != null) {
            entry.setValue(next);
        }
        return null;
    }
}
