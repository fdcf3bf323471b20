package io.github.jakartaratelimit.it.app;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

/** Two users in an in-application identity store, behind HTTP Basic. */
@ApplicationScoped
@BasicAuthenticationMechanismDefinition(realmName = "ratelimit-it")
public class Users implements IdentityStore {

    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-pw", "bob", "bob-pw");

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        String expected = PASSWORDS.get(credential.getCaller());
        return expected != null && credential.compareTo(credential.getCaller(), expected)
                ? new CredentialValidationResult(credential.getCaller(), Set.of("user"))
                : CredentialValidationResult.INVALID_RESULT;
    }
}
