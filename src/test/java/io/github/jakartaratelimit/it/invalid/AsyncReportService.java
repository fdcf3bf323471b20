package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.RateLimited;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import jakarta.ejb.Asynchronous;
import jakarta.ejb.Stateless;

/** Keyed by the caller's address, which the container's thread running an asynchronous EJB method cannot know. */
@Stateless
public class AsyncReportService {

    @Asynchronous
    @RateLimited("2 per minute")
    public Future<String> build() {
        return CompletableFuture.completedFuture("never deployed");
    }
}
