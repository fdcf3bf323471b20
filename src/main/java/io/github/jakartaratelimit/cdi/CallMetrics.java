package io.github.jakartaratelimit.cdi;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.inject.spi.BeanManager;

/**
 * What the limiter reports about the calls it decides: a count per policy and outcome, and the time a distributed
 * store took to answer.
 * Through MicroProfile Metrics where the server has it; nothing, and no error, where it has not.
 */
interface CallMetrics {

    /** How a call was decided: the outcome tag of {@code ratelimit.calls}. */
    enum Outcome {
        ADMITTED, REJECTED, UNAVAILABLE;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    CallMetrics NONE = new CallMetrics() {
        @Override
        public void call(String policy, Outcome outcome) {
        }

        @Override
        public void store(long nanos) {
        }
    };

    /** @param policy the policy's name, a bounded set (never a caller's key) */
    void call(String policy, Outcome outcome);

    /** One operation sent to a distributed store (a check, a lease, a refund), as long as it took to answer. */
    void store(long nanos);

    /** MicroProfile Metrics' application registry if the application can see one, else {@link #NONE}. */
    static CallMetrics of(BeanManager beans, ClassLoader loader) {
        try {
            Class.forName("org.eclipse.microprofile.metrics.MetricRegistry", false, loader);
        } catch (ClassNotFoundException | LinkageError absent) {
            return NONE;
        }
        try {
            CallMetrics metrics = MicroProfileMetrics.create(beans);
            return metrics != null ? metrics : NONE;
        } catch (RuntimeException | LinkageError unusable) {
            Logger.getLogger(CallMetrics.class.getName()).log(Level.WARNING,
                    "jakarta-ratelimit: MicroProfile Metrics is present but unusable; no metrics", unusable);
            return NONE;
        }
    }
}
