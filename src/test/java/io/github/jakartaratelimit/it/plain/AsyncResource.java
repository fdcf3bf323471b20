package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimited;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/** Asynchronous resource methods, and a resource that hands its work to an asynchronous bean. */
@Path("async")
public class AsyncResource {

    @Inject
    AsyncWork work;

    @GET
    @Path("stage")
    @RateLimited(name = "stage", value = "2 per minute")
    public CompletionStage<String> stage(@Context SecurityContext security) {
        String caller = security.getUserPrincipal() == null ? "anonymous" : security.getUserPrincipal().getName();
        return CompletableFuture.supplyAsync(() -> "stage for " + caller);
    }

    @GET
    @Path("suspended")
    @RateLimited(name = "suspended", value = "2 per minute")
    public void suspended(@Suspended AsyncResponse response) {
        new Thread(() -> response.resume("resumed")).start();
    }

    @GET
    @Path("work")
    @RateLimitExempt // only the bean's own limit
    public CompletionStage<String> work() {
        return work.run();
    }
}
