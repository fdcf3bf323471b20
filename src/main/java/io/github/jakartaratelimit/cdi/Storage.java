package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.core.Policy;
import io.github.jakartaratelimit.core.TimeSource;
import io.github.jakartaratelimit.storage.CacheManagers;
import io.github.jakartaratelimit.storage.ConformanceCheck;
import io.github.jakartaratelimit.storage.CounterStore;
import io.github.jakartaratelimit.storage.FailoverStore;
import io.github.jakartaratelimit.storage.MisconfiguredStoreException;
import io.github.jakartaratelimit.storage.StoreStatisticsMXBean;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.cache.CacheManager;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Opens the counter store without ever holding the deployment up on a network. The bundled in-process Ehcache is
 * opened at once; any other store on a thread of its own, for which the deployment waits at most
 * {@value #STARTUP_WAIT_MILLIS} ms: a store that is not reachable by then is retried in the background (after 1 s,
 * then 2, 4... up to 32 s) while {@code ratelimit.on-storage-failure} applies from the first request, and the
 * library logs when it becomes available. Only a store that is misconfigured (a provider that cannot be loaded, an
 * {@code invoke} that is not atomic) fails the deployment, when it is known within the wait.
 */
final class Storage {

    private static final Logger LOG = Logger.getLogger(Storage.class.getName());
    static final long STARTUP_WAIT_MILLIS = 5_000;
    private static final int STORAGE_THREADS = 256;
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long LAST_RETRY_MILLIS = 32_000;
    private static final long SWEEP_MILLIS = 250;

    private final Settings settings;
    private final CacheManager server;
    private final ClassLoader loader;
    private final String cacheName;
    private final Collection<Policy> policies;
    private final TimeSource clock;
    private final LongConsumer roundTrips;
    private final FailoverStore store;
    private final ExecutorService probes;
    private final List<CacheManager> opened = new ArrayList<>(); // guarded by itself
    private volatile ExecutorService calls;
    private volatile Thread connector;
    private volatile ScheduledExecutorService leaseSweeper;
    private ObjectName statisticsName;
    private volatile boolean stopped;

    /**
     * @param server       the server's own cache manager, or {@code null} where it has none
     * @param clock        the counters' clock
     * @param breakerClock the breaker's clock (monotonic in production)
     * @param roundTrips   told how long each operation sent to a distributed store took, in nanoseconds
     */
    Storage(Settings settings, CacheManager server, ClassLoader loader, String cacheName, Collection<Policy> policies,
            TimeSource clock, TimeSource breakerClock, LongConsumer roundTrips, Consumer<RuntimeException> onFailure) {
        this.settings = settings;
        this.server = server;
        this.loader = loader;
        this.cacheName = cacheName;
        this.policies = policies;
        this.clock = clock;
        this.roundTrips = roundTrips;
        this.probes = new ThreadPoolExecutor(0, 2, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Threads.managed("jakarta-ratelimit-probe", loader));
        CounterStore local = null;
        if (settings.onStorageFailure == Settings.OnStorageFailure.LOCAL && !inProcess()) {
            CacheManager localManager = track(CacheManagers.open("ehcache", null, () -> null, loader));
            local = new CounterStore(localManager, cacheName + "-local", clock, settings.cacheMaxEntries);
        }
        this.store = new FailoverStore(local, probes, Duration.ofMillis(settings.cacheTimeoutMillis), breakerClock, onFailure);
    }

    FailoverStore store() {
        return store;
    }

    /** Whether the configured store is the bundled Ehcache, in this JVM: nothing to wait for. */
    private boolean inProcess() {
        return CacheManagers.inProcess(settings.cacheProvider, server != null);
    }

    /**
     * Connects the store: at once when it is in-process, else in the background, waiting for it a little.
     *
     * @throws MisconfiguredStoreException when the store cannot work, as far as is known by the end of the wait
     */
    void start() {
        registerStatistics();
        if (inProcess()) {
            connect();
            return;
        }
        FutureTask<Void> first = new FutureTask<>(this::connectUntilConnected, null);
        // The server's own grid needs the application's context on the calling thread (see ConformanceCheck's
        // threads); any other store is reached from a thread of ours, which no server holds back.
        ThreadFactory threads = server != null && settings.cacheProvider.matches("auto|container")
                ? Threads.managed("jakarta-ratelimit-connect", loader) : Threads.plain("jakarta-ratelimit-connect", loader);
        Thread thread = threads.newThread(first);
        connector = thread;
        thread.start();
        try {
            first.get(STARTUP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MisconfiguredStoreException misconfigured) {
                throw misconfigured;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException notYet) {
            store.unavailable();
            LOG.warning("jakarta-ratelimit: the counter store (ratelimit.cache.provider=" + settings.cacheProvider
                    + ") is not available yet; the application starts, ratelimit.on-storage-failure="
                    + settings.onStorageFailure.key() + " applies until it is, and it is tried again in the background");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tries until connected, misconfigured or stopped; a misconfiguration found late is logged, the policy stays. */
    private void connectUntilConnected() {
        long wait = FIRST_RETRY_MILLIS;
        long lastWarning = Long.MIN_VALUE / 2;
        while (!stopped) {
            try {
                connect();
                return;
            } catch (MisconfiguredStoreException misconfigured) {
                LOG.log(Level.SEVERE, "jakarta-ratelimit: cannot use the counter store: " + misconfigured.getMessage()
                        + "; ratelimit.on-storage-failure=" + settings.onStorageFailure.key() + " stays in force", misconfigured);
                throw misconfigured;
            } catch (RuntimeException failure) {
                long now = System.nanoTime() / 1_000_000;
                if (now - lastWarning >= 60_000) {
                    lastWarning = now;
                    LOG.log(Level.WARNING, "jakarta-ratelimit: cannot reach the counter store yet (tried again after "
                            + wait / 1000 + " s, then up to every " + LAST_RETRY_MILLIS / 1000 + " s)", failure);
                }
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return; // stopped
            }
            wait = Math.min(wait * 2, LAST_RETRY_MILLIS);
        }
    }

    private void connect() {
        CacheManager manager = CacheManagers.open(settings.cacheProvider, settings.cacheUri, () -> server, loader);
        if (manager != server) {
            track(manager);
        }
        // Refuse a provider that would over-admit silently, before any request depends on it. The server's own data
        // grid gets the server's managed threads: Payara's finds the application's classes for an entry processor
        // that runs on another member only through the context of the calling thread (without it the member
        // receives a null processor). Any other store gets plain threads: a server may hold managed threads back
        // until the application has started (Open Liberty does), and the application's start may wait for this check.
        ConformanceCheck.verify(manager, cacheName + "-selftest", manager == server
                ? Threads.managed("jakarta-ratelimit-selftest", loader) : Threads.plain("jakarta-ratelimit-selftest", loader));
        CounterStore shared = new CounterStore(manager, cacheName, clock, settings.cacheMaxEntries, roundTrips);
        TreeSet<String> caches = new TreeSet<>();
        policies.forEach(policy -> caches.add(shared.prepare(policy)));
        // An in-process cache cannot hang on a network: only remote and distributed stores pay for a timeout
        // (a thread hop per call), unless the operator relies on the provider's own timeouts (0). Bounded: a hung
        // store must not take a thread per request.
        if (!CacheManagers.inProcess(manager) && settings.cacheTimeoutMillis != 0) {
            calls = new ThreadPoolExecutor(0, STORAGE_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    Threads.managed("jakarta-ratelimit-store", loader));
        }
        // A round trip per call is what leases save; the in-process store has none to save.
        boolean lease = settings.lease && !CacheManagers.inProcess(manager);
        synchronized (opened) { // stop() either sees the sweeper or this sees it stopped
            if (stopped) {
                return;
            }
            if (lease) {
                ScheduledThreadPoolExecutor sweeper = new ScheduledThreadPoolExecutor(1,
                        Threads.managed("jakarta-ratelimit-leases", loader));
                sweeper.scheduleWithFixedDelay(store::sweepLeases, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
                leaseSweeper = sweeper;
            }
        }
        store.connect(shared, calls, lease);
        LOG.info(() -> "jakarta-ratelimit: counters in " + manager.getCachingProvider().getClass().getName()
                + " (" + manager.getURI() + "), caches " + caches + "; ratelimit.cache.provider=" + settings.cacheProvider
                + ", ratelimit.on-storage-failure=" + settings.onStorageFailure.key()
                + ", ratelimit.lease=" + (lease ? "auto (on)" : settings.lease ? "auto (off: in-process store)" : "off")
                + "; self-test passed (atomic Cache.invoke under concurrent calls, stored state remembered)");
    }

    /** Remembers a manager this library opened, to close it on undeploy; closes it at once after that. */
    private CacheManager track(CacheManager manager) {
        synchronized (opened) {
            if (!stopped) {
                opened.add(manager);
                return manager;
            }
        }
        manager.close();
        return manager;
    }

    /** The store's statistics as an MXBean ({@link StoreStatisticsMXBean}); a server that forbids it goes without. */
    private void registerStatistics() {
        StoreStatisticsMXBean statistics = new StoreStatisticsMXBean() {
            @Override
            public long getInvokes() {
                return store.sharedInvokes();
            }

            @Override
            public long getLocalDecisions() {
                return store.localDecisions();
            }

            @Override
            public boolean isLeasing() {
                return store.leasing();
            }

            @Override
            public boolean isDown() {
                return store.down();
            }
        };
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.github.jakartaratelimit:type=CounterStore,name=" + ObjectName.quote(cacheName));
            if (server.isRegistered(name)) { // another application with the same namespace, in the same server
                name = new ObjectName(name + ",instance=" + System.identityHashCode(this));
            }
            server.registerMBean(new StandardMBean(statistics, StoreStatisticsMXBean.class, true), name);
            statisticsName = name;
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.FINE, "jakarta-ratelimit: no statistics MXBean", e);
        }
    }

    /** Nothing of the application outlives it: the connector, the pools, the managers this library opened. */
    void stop() {
        if (statisticsName != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(statisticsName);
            } catch (JMException | RuntimeException e) {
                LOG.log(Level.FINE, "jakarta-ratelimit: statistics MXBean already gone", e);
            }
        }
        synchronized (opened) {
            stopped = true;
        }
        Thread thread = connector;
        if (thread != null) {
            thread.interrupt();
        }
        ScheduledExecutorService sweeper = leaseSweeper;
        if (sweeper != null) {
            sweeper.shutdownNow();
            store.returnLeases(); // permits this node will not spend go back to the others
        }
        ExecutorService pool = calls;
        if (pool != null) {
            pool.shutdownNow();
        }
        probes.shutdownNow();
        synchronized (opened) {
            opened.forEach(CacheManagers::close);
            opened.clear();
        }
    }
}
