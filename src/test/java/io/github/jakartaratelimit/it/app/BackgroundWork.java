package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitExceededException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

/** Runs a limited task off the HTTP thread: a request context without an HTTP request, like a timer. */
@Stateless
public class BackgroundWork {

    @Inject
    LimitedTask task;

    @jakarta.ejb.Asynchronous
    public Future<String> attempt() {
        try {
            return CompletableFuture.completedFuture(task.run());
        } catch (RateLimitExceededException e) {
            return CompletableFuture.completedFuture("limited");
        }
    }
}
