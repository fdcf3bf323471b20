package io.github.jakartaratelimit.examples.quickstart;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** No annotation: limited by ratelimit.default from microprofile-config.properties. */
@Path("items")
public class ItemResource {

    @GET
    public String items() {
        return "[\"apple\", \"pear\"]";
    }
}
