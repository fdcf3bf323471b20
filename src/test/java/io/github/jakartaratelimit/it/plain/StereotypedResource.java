package io.github.jakartaratelimit.it.plain;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Limited only through its stereotype: no {@code @RateLimited} on the class itself. */
@Path("stereotyped")
@Throttled
public class StereotypedResource {

    @GET
    public String get() {
        return "stereotyped";
    }
}
