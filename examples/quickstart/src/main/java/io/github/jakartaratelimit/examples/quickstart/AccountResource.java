package io.github.jakartaratelimit.examples.quickstart;

import io.github.jakartaratelimit.RateLimited;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Requires HTTP Basic (see web.xml); alice and bob each get their own five calls per minute, carol, in role premium,
 * twenty: a tier.
 */
@Path("account")
public class AccountResource {

    @GET
    @RateLimited(name = "account", value = "5 per minute",
            tiers = @RateLimited.Tier(role = "premium", value = "20 per minute"))
    public String account(@Context SecurityContext security) {
        return "Account of " + security.getUserPrincipal().getName();
    }
}
