package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.RateLimited;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.concurrent.Asynchronous;
import jakarta.enterprise.context.ApplicationScoped;

/** Work that runs on a managed thread (Jakarta Concurrency), limited per caller of the method. */
@ApplicationScoped
public class AsyncWork {

    @Asynchronous
    @RateLimited(name = "async-work", value = "2 per minute")
    public CompletableFuture<String> run() {
        return Asynchronous.Result.complete("done");
    }
}
