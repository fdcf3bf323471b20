package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimitPolicy;
import io.github.jakartaratelimit.RateLimitStatus;
import io.github.jakartaratelimit.RateLimited;
import io.github.jakartaratelimit.RateLimits;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** The programmatic API, as an application's own endpoints would use it: counts, reads and resets. */
@Path("quota")
@RequestScoped
@RateLimitExempt
public class QuotaResource {

    @Inject
    RateLimits limits;

    /** An annotated policy that the endpoints below read and reset by its name. */
    @GET
    @Path("limited")
    @RateLimited(name = "quota-limited", value = "4 per minute")
    public String limited() {
        return "limited";
    }

    /** Counts a tenant's export in a policy the code defines; over it, the exception answers 429. */
    @POST
    @Path("exports/{tenant}")
    public Response export(@PathParam("tenant") String tenant, @QueryParam("cost") Long cost) {
        try {
            return Response.ok(describe(exports().acquire(tenant, cost == null ? 1 : cost))).build();
        } catch (IllegalArgumentException invalid) {
            return Response.status(400).entity(invalid.getMessage()).build();
        }
    }

    @POST
    @Path("exports/{tenant}/try")
    public String tryExport(@PathParam("tenant") String tenant) {
        return String.valueOf(exports().tryAcquire(tenant));
    }

    @GET
    @Path("exports/{tenant}")
    public String peekExports(@PathParam("tenant") String tenant) {
        return describe(exports().peek(tenant));
    }

    @DELETE
    @Path("exports/{tenant}")
    public void resetExports(@PathParam("tenant") String tenant) {
        exports().reset(tenant);
    }

    /** The current caller's state in the annotated policy, counting nothing. */
    @GET
    @Path("policies/{name}")
    public Response peek(@PathParam("name") String name) {
        try {
            return Response.ok(describe(limits.policy(name).peek())).build();
        } catch (IllegalArgumentException unknown) {
            return Response.status(404).entity(unknown.getMessage()).build();
        }
    }

    @DELETE
    @Path("policies/{name}")
    public void reset(@PathParam("name") String name) {
        limits.policy(name).reset();
    }

    /** New limits for a policy, from code. */
    @POST
    @Path("policies/{name}/limits")
    public Response update(@PathParam("name") String name, @QueryParam("limits") String text) {
        try {
            limits.policy(name).update(text);
            return Response.noContent().build();
        } catch (IllegalArgumentException invalid) {
            return Response.status(400).entity(invalid.getMessage()).build();
        }
    }

    /** Defines a policy; a name already in use with other limits is refused. */
    @POST
    @Path("define/{name}")
    public Response define(@PathParam("name") String name, @QueryParam("limits") String text) {
        try {
            return Response.ok(limits.policy(name, text).name()).build();
        } catch (IllegalArgumentException invalid) {
            return Response.status(400).entity(invalid.getMessage()).build();
        }
    }

    private RateLimitPolicy exports() {
        return limits.policy("quota-exports", "3 per minute");
    }

    private static String describe(List<RateLimitStatus> statuses) {
        return statuses.stream().map(s -> s.policy() + " q=" + s.quota() + " r=" + s.remaining()
                + " exceeded=" + s.exceeded() + " t=" + s.resetSeconds()).collect(Collectors.joining(", "));
    }
}
