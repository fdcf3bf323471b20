package io.github.jakartaratelimit.it.invalid;

import io.github.jakartaratelimit.KeyResolver;
import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("tenant")
@RequestScoped
public class UnresolvableKeyResource {

    @GET
    @RateLimited(value = "10/minute", keyResolver = NotABean.class)
    public String tenant() {
        return "never deployed";
    }

    /** No bean-defining annotation, so CDI cannot provide it. */
    public static class NotABean implements KeyResolver {
        @Override
        public String resolve(Call call) {
            return "tenant";
        }
    }
}
