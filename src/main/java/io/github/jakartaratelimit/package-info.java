/**
 * Rate limiting for Jakarta EE: annotate a method with {@link io.github.jakartaratelimit.RateLimited}, and calls
 * over the limit throw {@link io.github.jakartaratelimit.RateLimitExceededException}, which JAX-RS answers with
 * {@code 429 Too Many Requests}. This package is the whole API; the sub-packages are the implementation.
 */
package io.github.jakartaratelimit;
