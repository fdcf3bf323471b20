package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.ApplicationScoped;

/** A bean whose limit counts only the calls that throw {@link WrongCode}. */
@ApplicationScoped
public class Vault {

    @RateLimited(name = "vault", value = "2 per minute", countExceptions = WrongCode.class)
    public String open(String code) {
        if (!"1234".equals(code)) {
            throw new WrongCode();
        }
        return "opened";
    }

    /** A failed attempt. */
    public static class WrongCode extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongCode() {
            super("wrong code");
        }
    }
}
