package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/** Endpoints of the integration tests, one per behaviour, so that tests never share a counter. */
@Path("/")
@RequestScoped
public class LimitedResource {

    @Inject
    ReportService reports;

    @Inject
    NestedWork nested;

    @Inject
    BackgroundWork background;

    @GET
    @Path("greeting")
    @RateLimited(name = "greeting", value = "5 per minute")
    public String greeting() {
        return "hello";
    }

    /** Its limit changes while the application runs (ClusterIT): one counter for every caller. */
    @GET
    @Path("refreshed")
    @RateLimited(name = "refreshed", value = "3 per day", key = RateLimited.Key.GLOBAL)
    public String refreshed() {
        return "refreshed";
    }

    /** Its rejections are seen by the application's observer ({@link EventLog}). */
    @GET
    @Path("observed")
    @RateLimited(name = "observed", value = "2 per minute")
    public String observed() {
        return "observed";
    }

    @GET
    @Path("account")
    @RateLimited(name = "account", value = "5 per minute")
    public String account(@Context SecurityContext security) {
        return security.getUserPrincipal().getName();
    }

    @POST
    @Path("reports")
    public String report() {
        return reports.build();
    }

    @GET
    @Path("tiered")
    @RateLimited(name = "tiered", value = "2 per minute", tiers = @RateLimited.Tier(role = "premium", value = "4 per minute"))
    public String tiered() {
        return "tiered";
    }

    @GET
    @Path("items")
    public String items() {
        return "items";
    }

    @GET
    @Path("tenants/{tenant}")
    @RateLimited(value = "2 per minute", keyResolver = DependentKeyResolver.class)
    public String tenant(@jakarta.ws.rs.PathParam("tenant") String tenant) {
        return tenant;
    }

    @GET
    @Path("dependent-resolvers")
    @RateLimitExempt
    public String dependentResolvers() {
        return DependentKeyResolver.CREATED.get() + " created, " + DependentKeyResolver.DESTROYED.get() + " destroyed";
    }

    @GET
    @Path("nested")
    public String nested() {
        return nested.work();
    }

    @GET
    @Path("other-items")
    public String otherItems() {
        return "other items";
    }

    @GET
    @Path("health")
    @RateLimitExempt
    public String health() {
        return "ok";
    }

    @GET
    @Path("overridden")
    @RateLimited(name = "overridden", value = "100 per minute")
    public String overridden() {
        return "overridden";
    }

    @GET
    @Path("per-method")
    @RateLimited("100 per minute")
    public String perMethod() {
        return "per method";
    }

    @GET
    @Path("two-limits")
    @RateLimited(name = "two", value = "3 per minute;10 per hour")
    public String twoLimits() {
        return "two";
    }

    @GET
    @Path("token-account")
    @RateLimited(name = "token-account", value = "2 per minute")
    public String tokenAccount(@Context SecurityContext security) {
        return security.getUserPrincipal() == null ? "anonymous" : security.getUserPrincipal().getName();
    }

    @GET
    @Path("background")
    @RateLimitExempt
    public String background() throws Exception {
        StringBuilder outcomes = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            outcomes.append(i == 0 ? "" : ",").append(this.background.attempt().get());
        }
        return outcomes.toString();
    }

    @GET
    @Path("cluster")
    @RateLimited(name = "cluster", value = "60 per hour", key = RateLimited.Key.GLOBAL)
    public String cluster() {
        return "cluster";
    }

    @GET
    @Path("cluster-user")
    @RateLimited(name = "cluster-user", value = "25 per hour", key = RateLimited.Key.PRINCIPAL)
    public String clusterUser() {
        return "cluster user";
    }

    @GET
    @Path("failover")
    @RateLimited(name = "failover", value = "15 per hour", key = RateLimited.Key.PRINCIPAL)
    public String failover() {
        return "failover";
    }

    @GET
    @Path("spoofable")
    @RateLimited("2 per minute")
    public String spoofable() {
        return "spoofable";
    }

    @GET
    @Path("resolver-throws")
    @RateLimited(value = "2 per minute", keyResolver = ThrowingKeyResolver.class)
    public String resolverThrows() {
        return "resolver throws";
    }

    @GET
    @Path("resolver-null")
    @RateLimited(value = "2 per minute", keyResolver = NullKeyResolver.class)
    public String resolverNull() {
        return "resolver returns null";
    }

    @POST
    @Path("clock")
    @RateLimitExempt
    public String advanceClock(@jakarta.ws.rs.QueryParam("seconds") long seconds) {
        AdjustableClock.advance(java.time.Duration.ofSeconds(seconds));
        return "advanced " + seconds + " s";
    }
}
