package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.KeyResolver;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.RateLimited;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.Limit;
import io.github.jakartaratelimit.core.Policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;

/** Everything needed to limit one method, resolved once at deployment: nothing is parsed per call. */
final class Guard {

    final String where;
    final String name;
    final String counterId;
    final RateLimited.Key key;
    final Class<? extends KeyResolver> resolver;
    final long cost;
    /**
     * Counted by the JAX-RS filter only, on the request's thread before the parameters are read: a resource method
     * without a key resolver, or an EJB {@code @Asynchronous} one; the interceptor is not bound to it.
     */
    final boolean filterOnly;
    /** Which outcomes of a call count: a conditional call is charged first and given back if its outcome does not. */
    final Outcomes outcomes;
    /**
     * The limits in force, replaced as a whole when they change at run time; shared by this guard's variants
     * ({@link #filterOnly()}, {@link #counting}, {@link #costing}), which change with it.
     */
    private final AtomicReference<Plan> plan;
    private volatile KeyResolver sharedResolver;

    /**
     * @param where     {@code class#method}, for messages
     * @param name      the name shown to clients
     * @param counterId what the counters are namespaced by: equal ids share counters
     */
    Guard(String where, String name, String counterId, Policy policy, RateLimited.Key key,
          Class<? extends KeyResolver> resolver, long cost) {
        this(where, name, counterId, key, resolver, cost, false, Outcomes.ALL,
                new AtomicReference<>(new Plan(name, counterId, policy, List.of())));
    }

    private Guard(String where, String name, String counterId, RateLimited.Key key,
                  Class<? extends KeyResolver> resolver, long cost, boolean filterOnly, Outcomes outcomes,
                  AtomicReference<Plan> plan) {
        this.filterOnly = filterOnly;
        this.outcomes = outcomes;
        this.where = where;
        this.name = name;
        this.counterId = counterId;
        this.key = key;
        this.resolver = resolver == KeyResolver.class ? null : resolver;
        this.cost = cost;
        this.plan = plan;
    }

    /** The limits in force now. */
    Plan plan() {
        return plan.get();
    }

    /** The policy in force now. */
    Policy policy() {
        return plan.get().policy;
    }

    /** The limits of callers in given roles, first match wins; empty for most guards. */
    List<Tier> tiers() {
        return plan.get().tiers;
    }

    /**
     * Puts {@code limits}' policy and tiers in force for this guard and its variants, from the next call on. Counters
     * stay when only quotas change (they are keyed by algorithm and windows); new windows start new counters.
     */
    void replace(Guard limits) {
        Plan now = limits.plan.get();
        plan.set(new Plan(name, counterId, now.policy, now.tiers));
    }

    /** Puts {@code policy} in force instead of the current one; the tiers stay. */
    void replace(Policy policy) {
        plan.set(new Plan(name, counterId, policy, plan.get().tiers));
    }

    /**
     * The key the resolver bean gives for a call. A normal-scoped resolver is looked up once (its client proxy stays
     * valid); a {@code @Dependent} one is a new instance per call, destroyed after it, as CDI means a dependent
     * bean looked up for one use (an earlier version silently shared one instance among all calls).
     */
    String resolveKey(KeyResolver.Call call, java.util.function.Supplier<Instance<? extends KeyResolver>> lookup) {
        KeyResolver shared = sharedResolver;
        if (shared != null) {
            return shared.resolve(call);
        }
        Instance<? extends KeyResolver> instance = lookup.get();
        if (instance.getHandle().getBean().getScope() == Dependent.class) {
            return resolveOnce(instance, call);
        }
        shared = instance.get();
        sharedResolver = shared;
        return shared.resolve(call);
    }


    /** This guard, for a method that only the JAX-RS filter counts. */
    Guard filterOnly() {
        return new Guard(where, name, counterId, key, resolver, cost, true, outcomes, plan);
    }

    /** This guard, counting only the given outcomes. */
    Guard counting(Outcomes counted) {
        return new Guard(where, name, counterId, key, resolver, cost, filterOnly, counted, plan);
    }

    /** This guard, charging {@code units} per call. */
    Guard costing(long units) {
        return new Guard(where, name, counterId, key, resolver, units, filterOnly, outcomes, plan);
    }

    /** This guard with tiers: for a role, another policy, counted apart, shown under the same name. */
    Guard withTiers(List<Tier> roles) {
        return new Guard(where, name, counterId, key, resolver, cost, filterOnly, outcomes,
                new AtomicReference<>(new Plan(name, counterId, policy(), List.copyOf(roles))));
    }

    /** A tier's guard, as this one but for the policy of callers in {@code role}. */
    Guard forRole(String role, Policy rolePolicy) {
        return new Guard(where, name, counterId + "#" + role, key, resolver, cost, filterOnly, outcomes,
                new AtomicReference<>(new Plan(name, counterId + "#" + role, rolePolicy, List.of())));
    }

    /** The guard of the first tier whose role the caller has; this one when none. */
    Guard tierFor(java.util.function.Predicate<String> inRole) {
        for (Tier tier : tiers()) {
            if (inRole.test(tier.role())) {
                return tier.guard();
            }
        }
        return this;
    }

    /** The limit of callers in a role. */
    record Tier(String role, Guard guard) {
    }

    /** Whether the key is (or may be) the client's address, which only the thread of an HTTP request knows. */
    boolean needsClientAddress() {
        return resolver == null && (key == RateLimited.Key.IP || key == RateLimited.Key.PRINCIPAL_OR_IP);
    }

    private static <R extends KeyResolver> String resolveOnce(Instance<R> instance, KeyResolver.Call call) {
        R own = instance.get();
        try {
            return own.resolve(call);
        } finally {
            instance.destroy(own);
        }
    }

    boolean sameLimits(Guard other) {
        return plan.get().sameLimits(other.plan.get());
    }

    String describe() {
        return plan.get().describe();
    }

    /** Caller keys longer than this are stored as their SHA-256: key material comes from outside. */
    static final int MAX_CALLER_KEY = 128;

    String counterKey(String callerKey) {
        return plan.get().counterKey("", callerKey);
    }

    /** The stored key of a caller: {@code kind} (such as {@code "ip:"}) and value, under the limits in force. */
    String counterKey(String kind, String value) {
        return plan.get().counterKey(kind, value);
    }

    List<RateLimitStatus> statuses(Decision decision) {
        return plan.get().statuses(decision, false, cost);
    }

    /**
     * Limits as they were when a call was counted: the policy, the tiers, and what the headers show. Immutable; a
     * guard's limits change by replacing it.
     */
    static final class Plan {
        final Policy policy;
        final List<Tier> tiers;
        private final String counterPrefix;
        private final String[] policyNames;
        private final Limit[] limits;
        private final Duration[] windows;

        Plan(String name, String counterId, Policy policy, List<Tier> tiers) {
            this.policy = policy;
            this.tiers = tiers;
            // Length-prefixed so that no counter id and caller key can combine into another pair's key; the policy's
            // signature (algorithm and windows, not quotas) keeps a state written under another layout from being read.
            this.counterPrefix = counterId.length() + ":" + counterId + "/" + policy.signature() + "/";
            this.limits = policy.limits().toArray(Limit[]::new);
            this.windows = new Duration[limits.length];
            this.policyNames = new String[limits.length];
            for (int i = 0; i < limits.length; i++) {
                windows[i] = Duration.ofMillis(limits[i].windowMillis());
                policyNames[i] = limits.length == 1 ? name : name + "-" + (i + 1);
            }
        }

        /** What every counter key of these limits starts with: a caller's key follows it. */
        String counterPrefix() {
            return counterPrefix;
        }

        String counterKey(String kind, String value) {
            if (value.length() <= MAX_CALLER_KEY) {
                return counterPrefix + kind + value;
            }
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest((kind + value).getBytes(StandardCharsets.UTF_8));
                return counterPrefix + "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            } catch (NoSuchAlgorithmException impossible) { // every JVM has SHA-256
                throw new IllegalStateException(impossible);
            }
        }

        /**
         * @param refunded whether the call was taken back since (another limit of its request refused it)
         * @return unmodifiable
         */
        List<RateLimitStatus> statuses(Decision decision, boolean refunded, long cost) {
            if (limits.length == 1) {
                return List.of(status(decision, 0, refunded, cost));
            }
            RateLimitStatus[] statuses = new RateLimitStatus[limits.length];
            for (int i = 0; i < limits.length; i++) {
                statuses[i] = status(decision, i, refunded, cost);
            }
            return List.of(statuses);
        }

        private RateLimitStatus status(Decision decision, int i, boolean refunded, long cost) {
            long remaining = refunded ? Math.min(limits[i].quota(), decision.remaining(i) + cost) : decision.remaining(i);
            return new RateLimitStatus(policyNames[i], limits[i].quota(), windows[i], remaining,
                    Duration.ofMillis(decision.resetMillis(i)), !decision.allowed(i));
        }

        boolean sameLimits(Plan other) {
            if (policy.algorithm() != other.policy.algorithm() || !policy.limits().equals(other.policy.limits())
                    || tiers.size() != other.tiers.size()) {
                return false;
            }
            for (int i = 0; i < tiers.size(); i++) {
                if (!tiers.get(i).role().equals(other.tiers.get(i).role())
                        || !tiers.get(i).guard().sameLimits(other.tiers.get(i).guard())) {
                    return false;
                }
            }
            return true;
        }

        String describe() {
            StringBuilder text = new StringBuilder().append(policy.limits()).append(' ')
                    .append(policy.algorithm().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            for (Tier tier : tiers) {
                text.append(", role ").append(tier.role()).append(": ").append(tier.guard().policy().limits());
            }
            return text.toString();
        }
    }
}
