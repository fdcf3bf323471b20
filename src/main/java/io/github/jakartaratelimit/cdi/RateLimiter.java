package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitExceededException;
import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.RateLimitStorageFailure;
import io.github.jakartaratelimit.RateLimitUnavailableException;
import io.github.jakartaratelimit.RateLimited;
import io.github.jakartaratelimit.core.Decision;
import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;
import io.github.jakartaratelimit.storage.CacheManagers;
import io.github.jakartaratelimit.storage.ConformanceCheck;
import io.github.jakartaratelimit.storage.CounterStore;
import io.github.jakartaratelimit.storage.FailoverStore;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;

import javax.cache.CacheManager;

/**
 * Checks and counts calls: resolves the caller's key, applies the method's policy through the counter
 * store, records the outcome for the response headers and throws when the call is over the limit.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class.getName());
    private static final long WARN_INTERVAL_MILLIS = 60_000;
    private static final int STORAGE_THREADS = 256;
    /** Milliseconds that only move forward: the breaker's waits must not depend on the wall clock. */
    private static final TimeSource MONOTONIC = () -> System.nanoTime() / 1_000_000;

    @Inject
    RateLimitExtension extension;

    @Inject
    CallerKeys callers;

    @Inject
    RequestState requestState;

    @Inject
    Instance<CacheManager> containerCacheManager;

    @Inject
    Event<RateLimitStorageFailure> storageFailures;

    @Resource
    ManagedThreadFactory threadFactory;

    private Settings settings;
    private FailoverStore store;
    private final List<CacheManager> opened = new java.util.ArrayList<>();
    private ExecutorService storageCalls;
    private final Map<Site, Guard> guards = new ConcurrentHashMap<>();
    private final AtomicLong lastStorageWarning = new AtomicLong(Long.MIN_VALUE / 2);

    @PostConstruct
    void start() {
        try {
            open();
        } catch (RuntimeException e) {
            // Servers tend to report only "Unable to invoke start()": say why, once, in plain words.
            LOG.log(Level.SEVERE, "jakarta-ratelimit: cannot open the counter store: " + e.getMessage(), e);
            throw e;
        }
    }

    private void open() {
        settings = extension.settings();
        guards.putAll(extension.guards());
        if (!settings.enabled) {
            LOG.info("jakarta-ratelimit: disabled by ratelimit.enabled=false");
            return;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        CacheManager server = serverCacheManager();
        CacheManager manager = CacheManagers.open(settings.cacheProvider, settings.cacheUri, () -> server, loader);
        // Refuse a provider that would over-admit silently, before any request depends on it.
        ConformanceCheck.verify(manager, threadFactory);
        TimeSource provided = providedClock();
        TimeSource clock = provided != null ? provided : TimeSource.SYSTEM;
        CounterStore shared = new CounterStore(manager, settings.cacheName, clock, settings.cacheMaxEntries);
        boolean inProcess = CacheManagers.inProcess(manager);
        if (manager != server) {
            opened.add(manager);
        }
        CounterStore local = null;
        if (settings.onStorageFailure == Settings.OnStorageFailure.LOCAL && !inProcess) {
            CacheManager localManager = CacheManagers.open("ehcache", null, () -> null, loader);
            opened.add(localManager);
            local = new CounterStore(localManager, settings.cacheName + "-local", clock, settings.cacheMaxEntries);
        }
        // An in-process cache cannot hang on a network: only remote and distributed stores pay for a timeout
        // (a thread hop per call), unless the operator relies on the provider's own timeouts (0).
        // Bounded: a hung store must not take a thread per request; a full pool counts as a storage failure.
        storageCalls = inProcess || settings.cacheTimeoutMillis == 0 ? null
                : new ThreadPoolExecutor(0, STORAGE_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threadFactory);
        store = new FailoverStore(shared, local, storageCalls, Duration.ofMillis(settings.cacheTimeoutMillis),
                provided != null ? provided : MONOTONIC, this::storageFailed);
        TreeSet<String> caches = new TreeSet<>();
        guards.values().forEach(guard -> caches.add(shared.prepare(guard.policy)));
        if (!settings.defaultLimits.isEmpty()) {
            caches.add(shared.prepare(new Policy(settings.algorithm, settings.defaultLimits)));
        }
        LOG.info(() -> "jakarta-ratelimit: counters in " + manager.getCachingProvider().getClass().getName()
                + " (" + manager.getURI() + "), caches " + caches + "; ratelimit.cache.provider=" + settings.cacheProvider
                + ", ratelimit.on-storage-failure=" + settings.onStorageFailure.key()
                + "; self-test passed (atomic Cache.invoke under concurrent calls, stored state remembered)"
                + (provided != null ? "; clock " + provided.getClass().getName() : ""));
    }

    @PreDestroy
    void stop() {
        if (storageCalls != null) {
            storageCalls.shutdownNow();
        }
        // Managers this library opened (never the server's own): nothing must outlive a redeployment.
        opened.forEach(CacheManager::close);
    }

    /** Instantiates the limiter, and so opens the store and logs it, when the application starts. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // Nothing to do: being called creates the bean.
    }

    /** Whether rate limiting is on at all ({@code ratelimit.enabled}). */
    public boolean enabled() {
        return settings.enabled;
    }

    /** Which headers to send. */
    public Settings.Headers headers() {
        return settings.headers;
    }

    /** The limits applied during the current request (empty outside one). */
    public List<RateLimitStatus> requestStatuses() {
        return callers.requestActive() ? requestState.statuses() : List.of();
    }

    /**
     * Checks and counts a call to a {@code @RateLimited} method.
     *
     * @throws RateLimitExceededException when the call is over a limit; it was not counted
     */
    void check(Class<?> beanClass, Method method, Object[] parameters) {
        if (!settings.enabled) {
            return;
        }
        Guard guard = guards.computeIfAbsent(new Site(beanClass, method), this::lateGuard);
        apply(guard, method, parameters);
    }

    /**
     * The check for a JAX-RS resource method under {@code ratelimit.default}, or {@code null} when the
     * default does not apply to it (no default, rate limiting off, {@code @RateLimited} or {@code @RateLimitExempt}).
     */
    public Runnable defaultCheck(Class<?> resourceClass, Method method) {
        if (!settings.enabled || settings.defaultLimits.isEmpty()
                || Guards.annotation(resourceClass, method) != null
                || method.isAnnotationPresent(RateLimitExempt.class)
                || resourceClass.isAnnotationPresent(RateLimitExempt.class)) {
            return null;
        }
        Guard guard = Guards.forDefault(resourceClass, method, settings);
        return () -> apply(guard, method, new Object[0]);
    }

    private void apply(Guard guard, Method method, Object[] parameters) {
        String key = callers.resolve(guard, method, parameters);
        Decision decision = store.acquire(guard.policy, key, guard.cost);
        if (decision == null) { // the store is down and there is no local one
            if (settings.onStorageFailure == Settings.OnStorageFailure.DENY) {
                throw new RateLimitUnavailableException(store.untilProbe());
            }
            return;
        }
        if (callers.requestActive()) {
            requestState.add(guard, decision);
        }
        if (!decision.allowed()) {
            throw new RateLimitExceededException(guard.statuses(decision));
        }
    }

    /** A method the extension did not see (a bean added by another extension): validated on first use. */
    private Guard lateGuard(Site site) {
        return Guards.forMethod(site.beanClass(), site.method(), settings, extension.config());
    }

    /** Logs and announces a storage failure, at most once a minute however many calls meet it. */
    private void storageFailed(RuntimeException failure) {
        long now = System.currentTimeMillis();
        long last = lastStorageWarning.get();
        if (now - last >= WARN_INTERVAL_MILLIS && lastStorageWarning.compareAndSet(last, now)) {
            LOG.log(Level.WARNING, "jakarta-ratelimit: the counter store failed; ratelimit.on-storage-failure="
                    + settings.onStorageFailure.key() + " is in force until it answers again (this warning repeats at "
                    + "most once a minute)", failure);
            storageFailures.fire(new RateLimitStorageFailure(failure, settings.onStorageFailure.key()));
        }
    }

    /**
     * A {@link TimeSource} bean of the application, if it has one: then it drives the counters and the storage
     * breaker, so that tests advance time instead of sleeping. It must serialize with its state (it travels
     * inside entry processors), so make it {@code @Dependent}.
     */
    private static TimeSource providedClock() {
        try {
            var clock = CDI.current().select(TimeSource.class);
            return clock.isResolvable() ? clock.get() : null;
        } catch (IllegalStateException noContainer) {
            return null;
        }
    }

    private CacheManager serverCacheManager() {
        try {
            return containerCacheManager.isResolvable() ? containerCacheManager.get() : null;
        } catch (RuntimeException unavailable) {
            LOG.log(Level.FINE, "The server's CacheManager is not available", unavailable);
            return null;
        }
    }
}
