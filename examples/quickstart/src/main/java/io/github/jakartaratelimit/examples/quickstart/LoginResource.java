package io.github.jakartaratelimit.examples.quickstart;

import io.github.jakartaratelimit.RateLimited;

import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * Three failed attempts per minute per client: only 401s count. Every attempt is charged before it runs, so that
 * parallel guesses cannot pass the limit, and a success is given back. After three failures, even the right
 * password gets 429 until the minute is over.
 */
@Path("login")
public class LoginResource {

    @Inject
    Users users;

    @POST
    @RateLimited(name = "login", value = "3 per minute", countStatuses = 401)
    public Response login(@FormParam("user") String user, @FormParam("password") String password) {
        CredentialValidationResult result = users.validate(new UsernamePasswordCredential(
                user == null ? "" : user, password == null ? "" : password));
        return result.getStatus() == CredentialValidationResult.Status.VALID
                ? Response.ok("Welcome, " + user).build()
                : Response.status(Response.Status.UNAUTHORIZED).entity("Wrong user or password").build();
    }
}
