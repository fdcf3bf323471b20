package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.RateLimitPolicy;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.RateLimitUnavailableException;
import io.github.jakartaratelimit.RateLimits;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@link RateLimits}: handles on the limiter's named policies. */
@ApplicationScoped
class ProgrammaticLimits implements RateLimits {

    @Inject
    RateLimiter limiterBean;

    private Supplier<RateLimiter> limiter;
    private final Map<String, Handle> handles = new ConcurrentHashMap<>();
    /** The limits text each name was first defined with by code: the same call again is answered from {@link #handles}. */
    private final Map<String, String> definitions = new ConcurrentHashMap<>();

    @PostConstruct
    void start() {
        limiter = limiterBean.instance();
    }

    @Override
    public RateLimitPolicy policy(String name) {
        Handle known = handles.get(name);
        if (known != null) {
            return known;
        }
        Guard guard = limiter.get().named(name);
        if (guard == null) {
            throw new IllegalArgumentException("No policy \"" + name + "\": expected the name of a @RateLimited(name = ...) "
                    + "of this application, or a policy defined by RateLimits.policy(name, limits)");
        }
        return handles.computeIfAbsent(name, n -> new Handle(guard));
    }

    @Override
    public RateLimitPolicy policy(String name, String limits) {
        if (limits != null && limits.equals(definitions.get(name))) {
            return handles.get(name); // asked again as it was defined: nothing to parse, read or check
        }
        Guard guard = limiter.get().define(name, limits);
        Handle handle = handles.computeIfAbsent(name, n -> new Handle(guard));
        definitions.putIfAbsent(name, limits);
        return handle;
    }

    /**
     * One policy for code: it counts every call it is asked to (a method's {@code countStatuses} or
     * {@code countExceptions} concern the method's outcomes, which code reports by calling or not).
     */
    private final class Handle implements RateLimitPolicy {

        private final Guard guard;

        Handle(Guard guard) {
            this.guard = guard.outcomes.conditional() ? guard.counting(Outcomes.ALL) : guard;
        }

        @Override
        public String name() {
            return guard.name;
        }

        @Override
        public List<RateLimitStatus> acquire() {
            return limiter.get().acquire(keyedByCaller("acquire"), null);
        }

        @Override
        public List<RateLimitStatus> acquire(String key, long cost) {
            return limiter.get().acquire(costing(cost), checked(key));
        }

        @Override
        public boolean tryAcquire(String key) {
            try {
                acquire(key, 1);
                return true;
            } catch (RateLimitExceededException | RateLimitUnavailableException refused) {
                return false;
            }
        }

        @Override
        public List<RateLimitStatus> peek() {
            return limiter.get().peek(keyedByCaller("peek"), null);
        }

        @Override
        public List<RateLimitStatus> peek(String key) {
            return limiter.get().peek(guard, checked(key));
        }

        @Override
        public void update(String limits) {
            limiter.get().update(guard, limits);
        }

        @Override
        public void reset(String key) {
            limiter.get().reset(guard, checked(key));
        }

        @Override
        public void reset() {
            limiter.get().reset(guard, null);
        }

        /** The guard, if the current caller's key can be computed without the method's parameters. */
        private Guard keyedByCaller(String call) {
            if (guard.resolver != null) {
                throw new IllegalStateException("Policy \"" + guard.name + "\" keys callers with "
                        + guard.resolver.getName() + " (" + guard.where + "); expected the key: " + call + "(key)");
            }
            return guard;
        }

        private Guard costing(long cost) {
            if (cost == guard.cost) {
                return guard;
            }
            long most = guard.policy().smallestQuota();
            if (cost < 1 || cost > most) {
                throw new IllegalArgumentException("Cost " + cost + " for policy \"" + guard.name + "\" is invalid: "
                        + "expected 1 to " + most + " (its smallest quota), or no call could ever pass");
            }
            return guard.costing(cost);
        }

        @Override
        public String toString() {
            return "RateLimitPolicy " + guard.name + ": " + guard.describe();
        }
    }

    private static String checked(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("The key is " + (key == null ? "null" : "blank")
                    + ": expected the caller's key, such as a user or tenant id");
        }
        return key;
    }
}
