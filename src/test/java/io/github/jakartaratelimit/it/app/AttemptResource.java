package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimited;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** Limits that count only failed attempts, by response status and by exception. */
@Path("attempts")
@RequestScoped
public class AttemptResource {

    /** Attempts that reached the password check, for the test to compare with what the limit admitted. */
    static final AtomicInteger CHECKED = new AtomicInteger();

    @Inject
    Vault vault;

    /** Closed by a test while it wants the attempts that reached the check to stay in flight; open otherwise. */
    private static volatile CountDownLatch gate = new CountDownLatch(0);

    @POST
    @Path("login")
    @RateLimited(name = "attempts-login", value = "3 per minute", countStatuses = {401, 403})
    public Response login(@FormParam("user") String user, @FormParam("password") String password) throws InterruptedException {
        CHECKED.incrementAndGet();
        gate.await(30, TimeUnit.SECONDS);
        return (user + "-pw").equals(password) ? Response.ok("welcome " + user).build()
                : Response.status(Response.Status.UNAUTHORIZED).entity("wrong password").build();
    }

    /** Holds the attempts that reach the check until {@link #open()}. */
    @POST
    @Path("gate/close")
    @RateLimitExempt
    public void close() {
        gate = new CountDownLatch(1);
    }

    @POST
    @Path("gate/open")
    @RateLimitExempt
    public void open() {
        gate.countDown();
    }

    @GET
    @Path("checked")
    @RateLimitExempt
    public String checked() {
        return String.valueOf(CHECKED.get());
    }

    @GET
    @Path("code/{code}")
    @RateLimited(name = "attempts-code", value = "2 per minute", countExceptions = ForbiddenException.class)
    public String code(@PathParam("code") String code) {
        if (!"1234".equals(code)) {
            throw new ForbiddenException("wrong code");
        }
        return "open";
    }

    /** Not limited itself: the vault bean counts its own failures. */
    @GET
    @Path("vault/{code}")
    @RateLimitExempt
    public Response vault(@PathParam("code") String code) {
        try {
            return Response.ok(vault.open(code)).build();
        } catch (Vault.WrongCode wrong) {
            return Response.status(Response.Status.FORBIDDEN).entity(wrong.getMessage()).build();
        }
    }
}
