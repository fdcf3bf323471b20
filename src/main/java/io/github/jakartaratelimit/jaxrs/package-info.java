/**
 * The Jakarta REST layer: {@code 429 Too Many Requests} with {@code Retry-After} and a problem body for a
 * breach, the {@code RateLimit-Policy} / {@code RateLimit} headers on every limited response, and the
 * application-wide default limit for resource methods without {@code @RateLimited}.
 */
package io.github.jakartaratelimit.jaxrs;
