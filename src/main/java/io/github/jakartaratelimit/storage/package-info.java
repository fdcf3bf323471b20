/**
 * Counters in any JCache (JSR-107) provider: the provider is chosen by {@link
 * io.github.jakartaratelimit.storage.CacheManagers}, and {@link io.github.jakartaratelimit.storage.CounterStore}
 * applies each check-and-count atomically as one {@code Cache.invoke} with an entry processor.
 */
package io.github.jakartaratelimit.storage;
