package io.github.jakartaratelimit.it.app;

import java.security.Principal;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

/**
 * A JAX-RS authentication filter like a JWT one: the servlet layer never learns of its principal. A caller named
 * {@code <role>-<name>} is in that role.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TokenAuthFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || !authorization.endsWith("-token")) {
            return;
        }
        String user = authorization.substring("Bearer ".length(), authorization.length() - "-token".length());
        SecurityContext original = request.getSecurityContext();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return () -> user;
            }

            @Override
            public boolean isUserInRole(String role) {
                return user.startsWith(role + "-"); // "premium-dora" is in role premium
            }

            @Override
            public boolean isSecure() {
                return original.isSecure();
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        });
    }
}
