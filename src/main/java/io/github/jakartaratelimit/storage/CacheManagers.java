package io.github.jakartaratelimit.storage;

import java.net.URI;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.spi.CachingProvider;

/**
 * Chooses the cache manager that holds the counters, from the {@code ratelimit.cache.provider} setting.
 * Providers are always named: the no-argument {@code Caching.getCachingProvider()} fails when several are
 * visible (Ehcache beside the server's own) and, inside Payara, finds a Hazelcast client that hangs.
 */
public final class CacheManagers {

    /** The bundled provider. */
    public static final String EHCACHE = "org.ehcache.jsr107.EhcacheCachingProvider";

    /**
     * Redisson's JCache runs entry processors in the calling JVM (read, process, write) and locks the key
     * around them only when this system property is set: without it, concurrent calls over-admit.
     */
    static final String REDISSON_LOCKING = "org.jsr107.tck.management.agentId";

    /** Hazelcast's property for its configuration file, for managers opened with its default URI. */
    static final String HAZELCAST_CONFIG_LOCATION = "hazelcast.config.location";

    private static final Logger LOG = Logger.getLogger(CacheManagers.class.getName());

    private CacheManagers() {
    }

    /**
     * Opens the cache manager the setting asks for.
     *
     * @param provider  {@code auto}, {@code ehcache}, {@code container} or a {@code CachingProvider} class name
     * @param uri       the provider's configuration URI, or {@code null} for its default
     * @param container the server's own cache manager, or a supplier of {@code null} when it has none
     * @throws MisconfiguredStoreException when the provider cannot be loaded, or is asked for and absent
     * @throws CacheException when the provider cannot open its manager (it may be unreachable)
     */
    public static CacheManager open(String provider, URI uri, Supplier<CacheManager> container, ClassLoader loader) {
        switch (provider) {
            case "auto": {
                CacheManager server = container.get();
                return server != null ? server : fromProvider(EHCACHE, uri, loader);
            }
            case "container": {
                CacheManager server = container.get();
                if (server == null) {
                    throw new MisconfiguredStoreException("ratelimit.cache.provider is \"container\" but this server offers "
                            + "no injectable javax.cache.CacheManager; use \"auto\" or \"ehcache\"", null);
                }
                return server;
            }
            case "ehcache":
                return fromProvider(EHCACHE, uri, loader);
            default:
                return fromProvider(provider, uri, loader);
        }
    }

    /** Closes a manager this library opened, and the provider it made for it. */
    public static void close(CacheManager manager) {
        CachingProvider provider = manager.getCachingProvider();
        manager.close();
        provider.close();
    }

    /**
     * Whether the setting names the bundled Ehcache, in this JVM: for {@code auto}, where the server has no cache
     * manager of its own. Known before anything is opened.
     */
    public static boolean inProcess(String provider, boolean serverHasManager) {
        return provider.equals("ehcache") || provider.equals(EHCACHE) || provider.equals("auto") && !serverHasManager;
    }

    /** Whether the counters live in this JVM only (the bundled Ehcache), so a call can neither hang nor fail on a network. */
    public static boolean inProcess(CacheManager manager) {
        return manager.getCachingProvider().getClass().getName().equals(EHCACHE);
    }

    private static CacheManager fromProvider(String className, URI uri, ClassLoader loader) {
        if (className.startsWith("org.redisson.") && System.getProperty(REDISSON_LOCKING) == null) {
            System.setProperty(REDISSON_LOCKING, "jakarta-ratelimit");
            LOG.info("jakarta-ratelimit: set -D" + REDISSON_LOCKING + " so that Redisson's JCache locks each key "
                    + "around entry processors; without it Cache.invoke is not atomic");
        }
        // Made here, not through javax.cache.Caching: its static registry, loaded by the server where the server
        // provides the JCache API (Payara), would keep the provider, and with it the application, after undeploy.
        CachingProvider provider;
        try {
            provider = Class.forName(className, true, loader).asSubclass(CachingProvider.class)
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new MisconfiguredStoreException("cannot load the JCache provider " + className + " named by "
                    + "ratelimit.cache.provider: " + e, e);
        }
        // Hazelcast prefixes every cache name with the manager's URI and class loader when they are not the provider's
        // defaults: nodes whose servers name class loaders with an identity, or that keep the configuration file at
        // another path, would count in different caches. So: the provider's own loader (the counters are plain long[]
        // and need no application class), and for Hazelcast the default URI, the configuration named by property.
        if (uri != null && className.startsWith("com.hazelcast.")) {
            Properties location = new Properties();
            location.setProperty(HAZELCAST_CONFIG_LOCATION, uri.toString());
            return provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader(), location);
        }
        return provider.getCacheManager(uri != null ? uri : provider.getDefaultURI(), provider.getDefaultClassLoader());
    }
}
