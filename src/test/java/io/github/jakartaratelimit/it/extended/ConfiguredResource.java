package io.github.jakartaratelimit.it.extended;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Carries no {@code @RateLimited} in its source: {@link AddedLimitExtension} adds one while the application deploys. */
@Path("configured")
@RequestScoped
public class ConfiguredResource {

    @GET
    public String get() {
        return "configured";
    }
}
