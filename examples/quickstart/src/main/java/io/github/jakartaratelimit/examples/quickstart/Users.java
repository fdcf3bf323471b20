package io.github.jakartaratelimit.examples.quickstart;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

/**
 * Three demo users checked by HTTP Basic: alice and bob (role user), carol (roles user and premium). A demo only:
 * never keep passwords in code.
 */
@ApplicationScoped
@BasicAuthenticationMechanismDefinition(realmName = "quickstart")
public class Users implements IdentityStore {

    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-pw", "bob", "bob-pw", "carol", "carol-pw");
    private static final Map<String, Set<String>> ROLES = Map.of("carol", Set.of("user", "premium"));

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        String expected = PASSWORDS.get(credential.getCaller());
        return expected != null && credential.compareTo(credential.getCaller(), expected)
                ? new CredentialValidationResult(credential.getCaller(), ROLES.getOrDefault(credential.getCaller(), Set.of("user")))
                : CredentialValidationResult.INVALID_RESULT;
    }
}
