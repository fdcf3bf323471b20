package io.github.jakartaratelimit.storage;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.configuration.OptionalFeature;
import javax.cache.expiry.ModifiedExpiryPolicy;

import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.expiry.ExpiryPolicy;
import org.ehcache.jsr107.Eh107Configuration;

import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;

/**
 * The configuration of a counter cache, made on purpose for the providers whose defaults would lose counts:
 * bounded in entries (an unbounded cache is a memory leak under a key flood), expiring a retention after
 * the last update, and on Hazelcast with a synchronous backup, so that losing a member loses no count; on
 * Ehcache, without the latency monitors nothing reads ({@link #prepare}).
 * Provider classes are referenced only on the branch that uses them, so each is loaded only when present.
 */
final class CacheConfigurations {

    private CacheConfigurations() {
    }

    static Configuration<String, long[]> forCounters(CacheManager manager, long retentionSeconds, long maxEntries) {
        String provider = manager.getCachingProvider().getClass().getName();
        if (isEhcache(manager)) {
            return Ehcache.configuration(retentionSeconds, maxEntries);
        }
        if (provider.startsWith("com.hazelcast.")) {
            return Hazelcast.configuration(retentionSeconds, maxEntries);
        }
        // States are never modified once stored: holding them by reference is safe and saves a copy per call.
        return standard(!manager.getCachingProvider().isSupported(OptionalFeature.STORE_BY_REFERENCE), retentionSeconds);
    }

    /** What a counter cache needs once created: on Ehcache, the latency monitors of its JSR-107 layer taken off. */
    static void prepare(CacheManager manager, Cache<String, long[]> cache) {
        if (isEhcache(manager)) {
            Ehcache.withoutLatencyMonitors(cache);
        }
    }

    private static boolean isEhcache(CacheManager manager) {
        return manager.getCachingProvider().getClass().getName().equals(CacheManagers.EHCACHE);
    }

    /** Only what JSR-107 itself can say: expiry after the last update, and how values are held. */
    static MutableConfiguration<String, long[]> standard(boolean storeByValue, long retentionSeconds) {
        return new MutableConfiguration<String, long[]>()
                .setStoreByValue(storeByValue)
                .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(
                        new javax.cache.expiry.Duration(TimeUnit.SECONDS, retentionSeconds)))
                .setStatisticsEnabled(false)
                .setManagementEnabled(false);
    }

    private static final class Ehcache {

        /** The statistics Ehcache's JSR-107 layer times: get, put and remove (an invoke starts all three). */
        private static final List<String> TIMED = List.of("getObserver", "putObserver", "removeObserver");

        static Configuration<String, long[]> configuration(long retentionSeconds, long maxEntries) {
            Duration retention = Duration.ofSeconds(retentionSeconds);
            // On heap and without copiers: Ehcache holds the states by reference.
            return Eh107Configuration.fromEhcacheCacheConfiguration(CacheConfigurationBuilder
                    .newCacheConfigurationBuilder(String.class, long[].class, ResourcePoolsBuilder.heap(maxEntries))
                    .withExpiry(new ExpiryPolicy<String, long[]>() {
                        @Override
                        public Duration getExpiryForCreation(String key, long[] value) {
                            return retention;
                        }

                        @Override
                        public Duration getExpiryForAccess(String key, Supplier<? extends long[]> value) {
                            return null; // reading does not extend a counter's life
                        }

                        @Override
                        public Duration getExpiryForUpdate(String key, Supplier<? extends long[]> old, long[] value) {
                            return retention;
                        }
                    }));
        }

        /**
         * Ehcache's JSR-107 layer hangs a latency monitor on the get, put and remove statistics of every cache it
         * makes, whatever the cache's statistics setting: each {@code invoke} then keeps a start time in a thread local
         * for each of the three and feeds a monitor when it ends: 1.2 % of a limited request's samples on Payara Micro
         * (docs/performance.md). The monitors only serve the JSR-107 statistics bean's average times, which the counter
         * caches never enable. Ehcache has no API to leave them out, so they are found by reflection, through
         * Ehcache's fields for the three statistics and the statistics' public methods; if Ehcache is built
         * otherwise, they stay, at that cost, and nothing else changes.
         */
        static void withoutLatencyMonitors(Cache<String, long[]> cache) {
            try {
                Object ehcache = cache.unwrap(org.ehcache.Cache.class);
                for (String name : TIMED) {
                    Object statistic = field(ehcache, name);
                    Method monitors = statistic.getClass().getMethod("getDerivedStatistics");
                    Method remove = method(statistic, "removeDerivedStatistic");
                    // All that is derived from a new cache's statistic is the JSR-107 layer's monitor.
                    for (Object monitor : List.copyOf((Collection<?>) monitors.invoke(statistic))) {
                        remove.invoke(statistic, monitor);
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError unlike) {
                Logger.getLogger(CacheConfigurations.class.getName()).log(Level.FINE, unlike,
                        () -> "jakarta-ratelimit: Ehcache's latency monitors stay on " + cache.getName());
            }
        }

        private static Object field(Object object, String name) throws ReflectiveOperationException {
            for (Class<?> type = object.getClass(); type != null; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.getName().equals(name)) {
                        field.setAccessible(true);
                        return field.get(object);
                    }
                }
            }
            throw new NoSuchFieldException(name);
        }

        /** A public method of one parameter, whose type (a class Ehcache shades) is not named here. */
        private static Method method(Object object, String name) throws NoSuchMethodException {
            for (Method method : object.getClass().getMethods()) {
                if (method.getName().equals(name) && method.getParameterCount() == 1) {
                    return method;
                }
            }
            throw new NoSuchMethodException(name);
        }
    }

    private static final class Hazelcast {

        static Configuration<String, long[]> configuration(long retentionSeconds, long maxEntries) {
            CacheConfig<String, long[]> config = new CacheConfig<>(standard(true, retentionSeconds));
            config.setBackupCount(1);
            config.setAsyncBackupCount(0);
            config.setEvictionConfig(new EvictionConfig()
                    .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                    .setSize((int) Math.min(Integer.MAX_VALUE, maxEntries))
                    // Under pressure, keep the counters of callers who call often: the active ones.
                    .setEvictionPolicy(EvictionPolicy.LFU));
            return config;
        }
    }
}
