/**
 * The rate limiting itself, free of Jakarta, CDI and JCache: limit expressions ({@link
 * io.github.jakartaratelimit.core.LimitExpression}), the counting algorithms as pure transitions over small
 * immutable states ({@link io.github.jakartaratelimit.core.Algorithm}, {@link
 * io.github.jakartaratelimit.core.Policy}) and the clock they read ({@link
 * io.github.jakartaratelimit.core.TimeSource}). Everything here can be unit tested with a fake clock.
 */
package io.github.jakartaratelimit.core;
