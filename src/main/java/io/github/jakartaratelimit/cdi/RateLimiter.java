package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.RateLimitClock;
import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimitRejected;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.RateLimitStorageFailure;
import io.github.jakartaratelimit.RateLimitStoreAvailability;
import io.github.jakartaratelimit.RateLimitUnavailableException;
import io.github.jakartaratelimit.RateLimited;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;
import io.github.jakartaratelimit.storage.FailoverStore;

import java.lang.reflect.Method;
import java.security.Principal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;

import javax.cache.CacheManager;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Checks and counts calls: resolves the caller's key, applies the method's policy through the counter
 * store, records the outcome for the response headers and throws when the call is over the limit.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class.getName());
    private static final long WARN_INTERVAL_MILLIS = 60_000;
    /** Milliseconds that only move forward: the breaker's waits must not depend on the wall clock. */
    private static final TimeSource MONOTONIC = () -> System.nanoTime() / 1_000_000;
    private static final Object[] NO_PARAMETERS = {};

    @Inject
    RateLimitExtension extension;

    @Inject
    BeanManager beans;

    @Inject
    Instance<SecurityContext> security;

    @Inject
    Instance<HttpServletRequest> httpRequests;

    /** The state of request contexts that are no HTTP request; HTTP requests keep theirs as a request attribute. */
    @Inject
    RequestState.Holder otherRequests;

    @Inject
    Instance<CacheManager> containerCacheManager;

    @Inject
    Event<RateLimitStorageFailure> storageFailures;

    @Inject
    Event<RateLimitRejected> rejections;

    @Inject
    Event<RateLimitStoreAvailability> availability;

    private Settings settings;
    private CallerKeys callers;
    /** The container's proxy of the current HTTP request, looked up once; {@code null} where there is none. */
    private HttpServletRequest http;
    private Storage storage;
    private FailoverStore store;
    private CallMetrics metrics = CallMetrics.NONE;
    /** Whether the application observes rejections: if not, none is created (a refusal must stay cheap). */
    private boolean announceRejections;
    private final Map<Site, Guard> guards = new ConcurrentHashMap<>();
    /** Policies code defined by name ({@link io.github.jakartaratelimit.RateLimits}). */
    private final Map<String, Guard> byName = new ConcurrentHashMap<>();
    private final LimitRefresh refresh = new LimitRefresh();
    private ScheduledExecutorService refresher;
    private final AtomicLong lastStorageWarning = new AtomicLong(Long.MIN_VALUE / 2);

    @PostConstruct
    void start() {
        try {
            open();
            extension.started(this); // the readiness check may ask it from now on
        } catch (RuntimeException e) {
            // Servers tend to report only "Unable to invoke start()": say why, once, in plain words.
            LOG.log(Level.SEVERE, "jakarta-ratelimit: cannot open the counter store: " + e.getMessage(), e);
            throw e;
        }
    }

    private void open() {
        settings = extension.settings();
        guards.putAll(extension.guards());
        extension.sources().forEach(refresh::watch);
        callers = new CallerKeys(security, settings.clientAddress);
        // A proxy, valid in every request; without one, callers are known by Jakarta Security only.
        http = optional(httpRequests, "There is no HttpServletRequest bean");
        if (!settings.enabled) {
            LOG.info("jakarta-ratelimit: disabled by ratelimit.enabled=false");
            return;
        }
        // One application's counters never mix with another's on a shared store, nor its key flood evicts theirs.
        String namespace = settings.cacheNamespace != null ? settings.cacheNamespace : applicationName();
        TimeSource provided = providedClock();
        if (provided != null) {
            Object named = provided instanceof ApplicationClock own ? own.clock() : provided;
            LOG.info("jakarta-ratelimit: the application's clock " + named.getClass().getName() + " drives the counters");
        }
        Set<Policy> policies = new HashSet<>();
        for (Guard guard : guards.values()) {
            policies.add(guard.policy());
            guard.tiers().forEach(tier -> policies.add(tier.guard().policy()));
        }
        if (!settings.defaultLimits.isEmpty()) {
            policies.add(new Policy(settings.algorithm, settings.defaultLimits));
        }
        metrics = CallMetrics.of(beans, Thread.currentThread().getContextClassLoader());
        storage = new Storage(settings, serverCacheManager(), Thread.currentThread().getContextClassLoader(),
                settings.cacheName + "-" + namespace, policies, provided != null ? provided : TimeSource.SYSTEM,
                provided != null ? provided : MONOTONIC, metrics::store, this::storageFailed);
        store = storage.store();
        store.watch(this::availabilityChanged);
        announceRejections = extension.rejectionsObserved();
        storage.start();
        if (settings.refreshSeconds > 0) {
            refresher = new ScheduledThreadPoolExecutor(1, Threads.managed("jakarta-ratelimit-refresh",
                    Thread.currentThread().getContextClassLoader()));
            refresher.scheduleWithFixedDelay(refresh::refresh, settings.refreshSeconds, settings.refreshSeconds,
                    TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (storage != null) {
            storage.stop();
        }
    }

    /** Instantiates the limiter, and so opens the store and logs it, when the application starts. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // Nothing to do: being called creates the bean.
    }

    /**
     * This instance itself, not the container's proxy of it, for the interceptor and the JAX-RS providers (created
     * once, living no longer than the application) to call without a lookup per call. Handed out inside a supplier:
     * a client proxy gives itself back for a method that returns its instance (Weld on Payara does), so
     * {@code return this} would return the proxy again.
     */
    public Supplier<RateLimiter> instance() {
        return () -> this;
    }

    /** Whether rate limiting is on at all ({@code ratelimit.enabled}). */
    public boolean enabled() {
        return settings.enabled;
    }

    /**
     * What the readiness check reports of the counter store.
     *
     * @param down        whether the store does not answer (not connected yet, or the breaker is open)
     * @param description the store's {@code ratelimit.cache.provider} (never its URI, which may hold a password);
     *                    {@code disabled} when rate limiting is off
     * @param onFailure   {@code ratelimit.on-storage-failure}: what calls meet while it is down
     */
    public record StoreState(boolean down, String description, String onFailure) {
    }

    /** The counter store's state, for the readiness check. */
    public StoreState storeState() {
        if (store == null) {
            return new StoreState(false, "disabled", settings.onStorageFailure.key());
        }
        return new StoreState(store.down(), settings.cacheProvider, settings.onStorageFailure.key());
    }

    /** Which headers to send. */
    public Settings.Headers headers() {
        return settings.headers;
    }

    /** The limits applied during the current request (empty outside one); unmodifiable. */
    public List<RateLimitStatus> requestStatuses() {
        RequestState state = currentState(false);
        return state != null ? state.statuses() : List.of();
    }

    /**
     * Checks and counts an intercepted call to a {@code @RateLimited} method, unless the JAX-RS layer already did
     * for this request (it checks resource methods before their parameters are read), then runs it; a call whose
     * limit counts only some outcomes is given back when its outcome does not count. The bean is known by its
     * instance's class (an inherited method is limited as the subclass declares), not by an injected
     * {@code @Intercepted Bean}: a container that intercepts instances that are no beans (unscoped JAX-RS resources,
     * one per request on Payara) formats a log message each time it cannot tell which bean that is.
     *
     * @throws RateLimitExceededException when the call is over a limit; it was not counted
     */
    public Object proceed(InvocationContext call) throws Exception {
        if (!settings.enabled) {
            return call.proceed();
        }
        Method method = call.getMethod();
        Class<?> beanClass = call.getTarget().getClass(); // or the subclass the container generated: see lateGuard
        Object attribute = httpAttribute(RequestState.ATTRIBUTE);
        if (attribute instanceof RequestState own && own.consumeChecked(beanClass, method)) {
            return call.proceed(); // a resource method its JAX-RS filter counted, decided before any lookup
        }
        Guard guard = guards.get(new Site(beanClass, method));
        if (guard == null) {
            guard = guards.computeIfAbsent(new Site(beanClass, method), site -> lateGuard(site, call));
        }
        if (guard.filterOnly) {
            return call.proceed();
        }
        RequestState state;
        RequestState.Charge charge;
        if (attribute == NO_HTTP_REQUEST) {
            state = otherRequestState(true);
            if (state != null && state.consumeChecked(beanClass, method)) {
                return call.proceed();
            }
            charge = admitted(apply(guard, method, call.getParameters(), null, null, state));
        } else {
            state = httpState(attribute);
            charge = admitted(apply(guard, method, call.getParameters(), http(state), state.caller(), state));
        }
        if (charge == null || charge.settled()) {
            return call.proceed();
        }
        return proceedCounting(call, charge, state);
    }

    /**
     * Runs a call whose limit counts only some outcomes: charged already, it is given back unless it throws one of
     * the counted exceptions; a resource method whose limit also counts statuses waits for its response's.
     */
    private Object proceedCounting(InvocationContext call, RequestState.Charge charge, RequestState state) throws Exception {
        boolean counted = false;
        try {
            return call.proceed();
        } catch (Exception | Error thrown) {
            counted = charge.guard.outcomes.countsThrown(thrown);
            throw thrown;
        } finally {
            if (counted && state != null) {
                state.keep(charge);
            } else if (!counted && (state == null || charge.guard.outcomes.statuses().length == 0)) {
                giveBack(charge, state);
            }
        }
    }

    /**
     * Settles the calls of a request whose limits count only some response statuses, once its response has one: those
     * whose status does not count are given back. Run by the JAX-RS response filter before it writes the headers.
     */
    public void settle(RequestState state, int status) {
        for (RequestState.Charge charge : state.settle(status)) {
            refund(charge);
        }
    }

    /**
     * A check that the JAX-RS layer runs for a resource method before invoking it, with the request's state (created
     * by the caller when the request has none yet, and kept as its {@link RequestState#ATTRIBUTE} property) and the
     * JAX-RS view of the caller ({@code null} if none).
     */
    @FunctionalInterface
    public interface ResourceCheck {
        /**
         * @param state the request's, with the request itself if the listener kept it and the caller as JAX-RS sees it
         * @return the refusal, {@code null} if the call was admitted: returned, not thrown, since a throw the compiler
         *         could not turn into a jump unwinds in the JVM's runtime, which took 6 % of a 429's samples on Payara
         * @throws RateLimitUnavailableException when the store cannot decide and the call is refused
         */
        RateLimitExceededException check(RequestState state);
    }

    /**
     * The check of a JAX-RS resource method, run by a request filter before the method is invoked: its own
     * {@code @RateLimited} (in force whether or not CDI intercepts the resource class), else {@code ratelimit.default}
     * unless the method or its class is {@code @RateLimitExempt}; {@code null} when neither applies.
     *
     * @throws IllegalStateException naming {@code class#method} when its {@code @RateLimited} is invalid
     */
    public ResourceCheck resourceCheck(Class<?> resourceClass, Method method) {
        if (!settings.enabled) {
            return null;
        }
        Guard bean = extension.guards().get(new Site(resourceClass, method));
        if (bean != null && !bean.filterOnly) {
            // A bean method the interceptor counts: its key resolver sees the method's parameters there.
            return null;
        }
        Guard guard = bean != null ? bean : resourceGuard(resourceClass, method);
        if (bean == null && guard != null && guard.outcomes.exceptions().length > 0) {
            String problem = RateLimitExtension.exceptionsUnseen(guard.where);
            LOG.severe("jakarta-ratelimit: " + problem);
            throw new IllegalStateException(problem);
        }
        if (guard != null) {
            return state -> {
                state.markChecked(resourceClass, method); // CDI's interceptor, if it runs for it, counts no more
                return refusal(apply(guard, method, NO_PARAMETERS, http(state), state.caller(), state));
            };
        }
        if (settings.defaultLimits.isEmpty() || method.isAnnotationPresent(RateLimitExempt.class)
                || resourceClass.isAnnotationPresent(RateLimitExempt.class)) {
            return null;
        }
        Guard defaultGuard = Guards.forDefault(resourceClass, method, settings);
        return state -> refusal(apply(defaultGuard, method, NO_PARAMETERS, http(state), state.caller(), state));
    }

    /** Within an HTTP request, the request itself if its state holds it, else the container's proxy of it. */
    private HttpServletRequest http(RequestState state) {
        HttpServletRequest request = state.servletRequest();
        return request != null ? request : http;
    }

    /** Returned by {@link #httpAttribute} when the thread serves no HTTP request. */
    private static final Object NO_HTTP_REQUEST = new Object();

    /**
     * An attribute of the current HTTP request, or {@link #NO_HTTP_REQUEST}: timers, message listeners and asynchronous
     * EJB calls may have a request context but no HTTP request, and the container's proxy then refuses the call.
     * Asked first, as an HTTP request is the common case; a thread without any request context is recognized
     * without an exception.
     */
    private Object httpAttribute(String name) {
        if (http == null || !requestActive()) {
            return NO_HTTP_REQUEST;
        }
        try {
            return http.getAttribute(name);
        } catch (RuntimeException noHttpRequest) {
            return NO_HTTP_REQUEST;
        }
    }

    /** The state of the current request, HTTP or not; {@code null} outside one (or not created yet, unless asked). */
    private RequestState currentState(boolean create) {
        Object attribute = httpAttribute(RequestState.ATTRIBUTE);
        if (attribute != NO_HTTP_REQUEST) {
            return attribute instanceof RequestState own ? own : null;
        }
        return otherRequestState(create);
    }

    /** The state of the current request, created if it has none yet; {@code null} outside a request. */
    private RequestState requestState() {
        Object attribute = httpAttribute(RequestState.ATTRIBUTE);
        return attribute == NO_HTTP_REQUEST ? otherRequestState(true) : httpState(attribute);
    }

    /**
     * The state of the current HTTP request, given its attribute: created here only where neither the library's request
     * listener nor its JAX-RS filters made one (a request the listener did not see).
     */
    private RequestState httpState(Object attribute) {
        if (attribute instanceof RequestState own) {
            return own;
        }
        RequestState state = new RequestState();
        http.setAttribute(RequestState.ATTRIBUTE, state);
        return state;
    }

    /** The state of a request context that is no HTTP request; {@code null} outside one. */
    private RequestState otherRequestState(boolean create) {
        try {
            return requestActive() ? otherRequests.state(create) : null;
        } catch (ContextNotActiveException none) { // a context that said it was active, on a thread it is not
            return null;
        }
    }

    private boolean requestActive() {
        try {
            return beans.getContext(RequestScoped.class).isActive();
        } catch (ContextNotActiveException none) {
            return false;
        }
    }

    /** The guard of a resource class that is no bean, made from its annotations (once: two applications may serve it). */
    private Guard resourceGuard(Class<?> resourceClass, Method method) {
        Guard made = guards.get(new Site(resourceClass, method));
        if (made != null) {
            return made;
        }
        try {
            Bindings.Found found = Guards.annotation(resourceClass, method);
            if (found == null) {
                return null;
            }
            Guard guard = Guards.forMethod(resourceClass, method, found, settings, extension.config());
            guards.put(new Site(resourceClass, method), guard);
            refresh.watch(guard, () -> Guards.forMethod(resourceClass, method, found, settings, extension.config()));
            return guard;
        } catch (Guards.DefinitionProblem problem) {
            LOG.severe("jakarta-ratelimit: " + problem.getMessage());
            throw new IllegalStateException(problem.getMessage(), problem);
        }
    }

    /**
     * Keys the call, then counts it (see {@link #count}).
     *
     * @param http  the current HTTP request, {@code null} off HTTP requests
     * @param rest  the JAX-RS view of the caller, if any
     * @param state the request's state, {@code null} outside a request
     */
    private RequestState.Charge apply(Guard guard, Method method, Object[] parameters, HttpServletRequest http,
                                      Supplier<Principal> rest, RequestState state) {
        guard = tier(guard, http, rest);
        return count(guard, callers.resolve(guard, method, parameters, http, rest), state);
    }

    /** The guard of the caller's tier: the first whose role an authenticated caller has. */
    private Guard tier(Guard guard, HttpServletRequest http, Supplier<Principal> rest) {
        if (!guard.tiers().isEmpty() && callers.principal(http, rest) != null) {
            return guard.tierFor(role -> callers.inRole(role, http, rest));
        }
        return guard;
    }

    /**
     * Checks and counts a call of {@code guard} for the stored {@code key}.
     *
     * @return what was charged, with its refusal if the call is over the limit (the request's other charges are then
     *         given back); {@code null} when the store is down and {@code allow} let the call through uncounted
     * @throws RateLimitUnavailableException when the store cannot decide and the call is refused
     */
    private RequestState.Charge count(Guard guard, String key, RequestState state) {
        Guard.Plan plan = guard.plan(); // the limits the call is counted under, even if they change meanwhile
        Decision decision = store.acquire(plan.policy, key, guard.cost);
        if (decision == FailoverStore.BUSY) { // this key alone is slow in the store, under its own traffic
            metrics.call(guard.name, CallMetrics.Outcome.UNAVAILABLE);
            refuse(state);
            throw new RateLimitUnavailableException(Duration.ofSeconds(1));
        }
        if (decision == null) { // the store is down and there is no local one
            metrics.call(guard.name, CallMetrics.Outcome.UNAVAILABLE);
            if (settings.onStorageFailure == Settings.OnStorageFailure.DENY) {
                refuse(state);
                throw new RateLimitUnavailableException(store.untilProbe());
            }
            return null;
        }
        RateLimitExceededException refused = decision.allowed() ? null
                : new RateLimitExceededException(plan.statuses(decision, false, guard.cost));
        RequestState.Charge charge = new RequestState.Charge(guard, plan, key, decision, refused);
        if (state != null) {
            state.add(charge);
        }
        if (refused == null) {
            metrics.call(guard.name, CallMetrics.Outcome.ADMITTED);
            return charge;
        }
        metrics.call(guard.name, CallMetrics.Outcome.REJECTED);
        refuse(state);
        if (announceRejections) {
            announce(guard.name, settings.eventsIncludeKey ? key.substring(plan.counterPrefix().length()) : null, refused);
        }
        return charge;
    }

    /** The charge of an admitted call, as is; a refused call's refusal is thrown. */
    private static RequestState.Charge admitted(RequestState.Charge charge) {
        if (charge != null && charge.refusal != null) {
            throw charge.refusal;
        }
        return charge;
    }

    private static RateLimitExceededException refusal(RequestState.Charge charge) {
        return charge == null ? null : charge.refusal;
    }

    /** The guard of the policy that methods name {@code name}, or that code defined; {@code null} if none. */
    Guard named(String name) {
        String counterId = "n:" + name;
        Guard defined = byName.get(name);
        if (defined != null) {
            return defined;
        }
        for (Guard guard : guards.values()) {
            if (guard.counterId.equals(counterId)) {
                return guard;
            }
        }
        for (Class<?> resource : extension.resources()) { // resources that are no beans: guards made on first use
            for (Method method : resource.getMethods()) {
                Bindings.Found found = Guards.annotation(resource, method);
                if (found != null && found.annotation().name().trim().equals(name)) {
                    return resourceGuard(resource, method);
                }
            }
        }
        return null;
    }

    /**
     * The policy code defines as {@code name} with {@code limits} (or as configured): the one methods or an earlier
     * definition made, if the limits are the same.
     *
     * @throws IllegalArgumentException for an invalid name or limit, or limits other than the name's
     */
    Guard define(String name, String limits) {
        Guard made;
        try {
            made = Guards.forCode(name, limits, settings, extension.config());
        } catch (Guards.DefinitionProblem problem) {
            throw new IllegalArgumentException(problem.getMessage(), problem);
        }
        Guard existing = named(name);
        if (existing == null) {
            existing = byName.putIfAbsent(name, made);
            if (existing == null) {
                LOG.info(() -> "jakarta-ratelimit: policy \"" + name + "\" defined by code: " + made.describe());
                refresh.watch(made, () -> Guards.forCode(name, limits, settings, extension.config()));
                return made;
            }
        }
        if (!existing.sameLimits(made)) {
            throw new IllegalArgumentException("Invalid " + made.where + ": policy \"" + name + "\" is already "
                    + existing.describe() + " (" + existing.where + "), not " + made.describe()
                    + "; expected the same limits wherever a name is used, since a name is one counter");
        }
        return existing;
    }

    /**
     * Checks and counts {@code guard}'s call for {@code key} (a key as a resolver returns it), or for the current
     * caller when {@code key} is {@code null}, as the annotation would; recorded in the current request's headers.
     *
     * @return the state of each limit after the call; empty when rate limiting is off, or the store is down and
     *         {@code allow} let it through
     */
    List<RateLimitStatus> acquire(Guard guard, String key) {
        if (store == null) {
            return List.of();
        }
        Keyed keyed = keyed(guard, key);
        RequestState.Charge charge = admitted(count(keyed.guard(), keyed.key(), requestState()));
        return charge == null ? List.of() : charge.statuses();
    }

    /** A guard (the caller's tier of it) and the stored key of the call. */
    private record Keyed(Guard guard, String key) {
    }

    /**
     * {@code key} as a resolver's key of {@code guard}; for {@code null}, the current caller, keyed and tiered exactly
     * as the annotation does it.
     */
    private Keyed keyed(Guard guard, String key) {
        if (key != null) {
            return new Keyed(guard, guard.counterKey("k:", key));
        }
        Object attribute = httpAttribute(RequestState.ATTRIBUTE);
        RequestState state = attribute instanceof RequestState own ? own : null;
        HttpServletRequest request = attribute == NO_HTTP_REQUEST ? null : state != null ? http(state) : http;
        Supplier<Principal> rest = state != null ? state.caller() : null;
        Guard tier = tier(guard, request, rest);
        return new Keyed(tier, callers.resolve(tier, null, NO_PARAMETERS, request, rest));
    }

    /**
     * {@code guard}'s state for {@code key}, or the current caller's, counting nothing.
     *
     * @throws RateLimitUnavailableException when the store cannot tell and {@code deny} is in force
     */
    List<RateLimitStatus> peek(Guard guard, String key) {
        if (store == null) {
            return List.of();
        }
        Keyed keyed = keyed(guard, key);
        guard = keyed.guard();
        Guard.Plan plan = guard.plan();
        Decision decision = store.peek(plan.policy, keyed.key(), guard.cost);
        if (decision == null) {
            if (settings.onStorageFailure == Settings.OnStorageFailure.DENY) {
                throw new RateLimitUnavailableException(store.untilProbe());
            }
            return List.of();
        }
        return plan.statuses(decision, false, guard.cost);
    }

    /**
     * Puts new limits in force for {@code guard} (and every method and handle of its policy on this node), from its
     * next call on; counters stay when only quotas change.
     *
     * @throws IllegalArgumentException for an invalid limit, or one the guard's cost could never pass
     */
    void update(Guard guard, String limits) {
        Policy policy;
        try {
            policy = Guards.policyOf(guard, limits);
        } catch (Guards.DefinitionProblem problem) {
            throw new IllegalArgumentException(problem.getMessage(), problem);
        }
        guard.replace(policy);
        LOG.info(() -> "jakarta-ratelimit: the limits of " + guard.where + " are now " + guard.describe() + " (set by code)");
    }

    /** Removes {@code guard}'s counter for {@code key}, or, when {@code null}, every counter of it and its tiers. */
    void reset(Guard guard, String key) {
        if (store == null) {
            return;
        }
        if (key != null) {
            store.remove(guard.policy(), guard.counterKey("k:", key), false);
            return;
        }
        store.remove(guard.policy(), guard.plan().counterPrefix(), true);
        for (Guard.Tier tier : guard.tiers()) {
            store.remove(tier.guard().policy(), tier.guard().plan().counterPrefix(), true);
        }
    }

    /** Gives one call back, unless its request was refused meanwhile (which gave it back already). */
    private void giveBack(RequestState.Charge charge, RequestState state) {
        if (state == null ? charge.takeBack() : state.giveBack(charge)) {
            refund(charge);
        }
    }

    private void refund(RequestState.Charge charge) {
        store.refund(charge.plan.policy, charge.key, charge.guard.cost, charge.decision);
    }

    /**
     * One request, one verdict: a call refused by one limit keeps no charge in the others its request met before
     * (a default limit on the resource, a limited bean it called); each is taken back, atomically per counter.
     */
    private void refuse(RequestState state) {
        if (state != null) {
            for (RequestState.Charge charge : state.takeBack()) {
                refund(charge);
            }
        }
    }

    /**
     * A method the extension did not see: an instance the container intercepts without a bean (its class is then a
     * subclass it generated), or a bean another extension added. Validated on first use.
     */
    private Guard lateGuard(Site site, InvocationContext call) {
        for (Class<?> c = site.beanClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            Guard known = guards.get(new Site(c, site.method()));
            if (known != null) {
                return known;
            }
        }
        Class<?> beanClass = site.beanClass();
        while (beanClass.isSynthetic() || beanClass.getName().contains("$$")) {
            beanClass = beanClass.getSuperclass(); // a generated subclass: the application's class is above it
        }
        Bindings.Found found = Guards.annotation(beanClass, site.method());
        if (found == null) {
            found = weldBinding(call);
        }
        if (found == null) {
            throw new IllegalStateException("jakarta-ratelimit: no @RateLimited found for " + Guards.where(beanClass, site.method()));
        }
        return Guards.forMethod(beanClass, site.method(), found, settings, extension.config());
    }

    /** The bindings Weld (the CDI implementation of every EE 10 server measured) records for the invocation. */
    private static Bindings.Found weldBinding(InvocationContext call) {
        if (call.getContextData().get("org.jboss.weld.interceptor.bindings") instanceof Set<?> bindings) {
            for (Object binding : bindings) {
                if (binding instanceof RateLimited limited) {
                    return new Bindings.Found(limited, true);
                }
            }
        }
        return null;
    }

    /** Fires the rejection to the application's observers; one that throws must not turn the 429 into a 500. */
    private void announce(String policy, String caller, RateLimitExceededException refused) {
        try {
            rejections.fire(new RateLimitRejected(policy, refused.getRetryAfter(), refused.getStatuses(), caller));
        } catch (RuntimeException observerFailed) {
            LOG.log(Level.WARNING, "jakarta-ratelimit: an observer of RateLimitRejected threw", observerFailed);
        }
    }

    /** Announces that the store stopped answering, or answers again. */
    private void availabilityChanged(boolean available) {
        LOG.info(() -> "jakarta-ratelimit: the counter store " + (available ? "answers again"
                : "does not answer; ratelimit.on-storage-failure=" + settings.onStorageFailure.key() + " is in force"));
        try {
            availability.fire(new RateLimitStoreAvailability(available, settings.onStorageFailure.key()));
        } catch (RuntimeException observerFailed) {
            LOG.log(Level.WARNING, "jakarta-ratelimit: an observer of RateLimitStoreAvailability threw", observerFailed);
        }
    }

    /** Logs and announces a storage failure, at most once a minute however many calls meet it. */
    private void storageFailed(RuntimeException failure) {
        long now = System.currentTimeMillis();
        long last = lastStorageWarning.get();
        if (now - last >= WARN_INTERVAL_MILLIS && lastStorageWarning.compareAndSet(last, now)) {
            LOG.log(Level.WARNING, "jakarta-ratelimit: the counter store failed; ratelimit.on-storage-failure="
                    + settings.onStorageFailure.key() + " is in force until it answers again (this warning repeats at "
                    + "most once a minute)", failure);
            try {
                storageFailures.fire(new RateLimitStorageFailure(failure, settings.onStorageFailure.key()));
            } catch (RuntimeException observerFailed) { // the application's observer must not turn the call into a 500
                LOG.log(Level.WARNING, "jakarta-ratelimit: an observer of RateLimitStorageFailure threw", observerFailed);
            }
        }
    }

    /**
     * The application's {@link RateLimitClock} bean, if it has one (or, as before it was public, a {@link TimeSource}
     * bean): then it drives the counters and the storage breaker, so that tests advance time instead of sleeping.
     */
    private static TimeSource providedClock() {
        try {
            var clock = CDI.current().select(RateLimitClock.class);
            if (clock.isResolvable()) {
                return new ApplicationClock(clock.get());
            }
            var source = CDI.current().select(TimeSource.class);
            return source.isResolvable() ? source.get() : null;
        } catch (IllegalStateException noContainer) {
            return null;
        }
    }

    /**
     * The application's name ({@code java:app/AppName}), the same on every node that deploys the same archive, so
     * that their counters meet and other applications' do not; a fixed name where the server has none to give.
     */
    private static String applicationName() {
        try {
            Object name = new InitialContext().lookup("java:app/AppName");
            String safe = String.valueOf(name).replaceAll("[^A-Za-z0-9._-]", "_");
            return safe.isEmpty() ? "app" : safe;
        } catch (NamingException e) {
            LOG.log(Level.WARNING, "jakarta-ratelimit: the server gives no java:app/AppName; set ratelimit.cache.namespace "
                    + "so that applications sharing a store keep their counters apart", e);
            return "app";
        }
    }

    private CacheManager serverCacheManager() {
        return optional(containerCacheManager, "The server's CacheManager is not available");
    }

    /** The bean, or {@code null} when the server has none (or fails to give it). */
    private static <T> T optional(Instance<T> bean, String absent) {
        try {
            return bean.isResolvable() ? bean.get() : null;
        } catch (RuntimeException unavailable) {
            LOG.log(Level.FINE, absent, unavailable);
            return null;
        }
    }
}
