package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimited;

import jakarta.ejb.Asynchronous;
import jakarta.ejb.Stateless;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;

/**
 * An EJB resource method that the container runs asynchronously: keyed by the client's address, which the JAX-RS
 * filter reads on the request's thread before the container hands the call to another.
 */
@Stateless
@Path("async-reports")
public class AsyncReportResource {

    @GET
    @Asynchronous
    @RateLimited(name = "async-reports", value = "2 per minute")
    public void report(@Suspended AsyncResponse response) {
        response.resume("report");
    }
}
