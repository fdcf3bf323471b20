package io.github.jakartaratelimit.storage;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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
 * the last update, and on Hazelcast with a synchronous backup, so that losing a member loses no count.
 * Provider classes are referenced only on the branch that uses them, so each is loaded only when present.
 */
final class CacheConfigurations {

    private CacheConfigurations() {
    }

    static Configuration<String, long[]> forCounters(CacheManager manager, long retentionSeconds, long maxEntries) {
        String provider = manager.getCachingProvider().getClass().getName();
        if (provider.equals(CacheManagers.EHCACHE)) {
            return Ehcache.configuration(retentionSeconds, maxEntries);
        }
        if (provider.startsWith("com.hazelcast.")) {
            return Hazelcast.configuration(retentionSeconds, maxEntries);
        }
        // States are never modified once stored: holding them by reference is safe and saves a copy per call.
        return standard(!manager.getCachingProvider().isSupported(OptionalFeature.STORE_BY_REFERENCE), retentionSeconds);
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
