package io.github.jakartaratelimit.it.extended;

import io.github.jakartaratelimit.KeyResolver;
import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.util.AnnotationLiteral;

/** Another library's extension that adds the binding to a class, so that reflection on the class never sees it. */
public class AddedLimitExtension implements Extension {

    void limit(@Observes ProcessAnnotatedType<ConfiguredResource> type) {
        type.configureAnnotatedType().add(new Literal("2 per minute", "added"));
    }

    /** A {@code @RateLimited} made in code, as extensions add it. */
    @SuppressWarnings("all")
    public static final class Literal extends AnnotationLiteral<RateLimited> implements RateLimited {

        private static final long serialVersionUID = 1L;
        private final String value;
        private final String name;

        public Literal(String value, String name) {
            this.value = value;
            this.name = name;
        }

        @Override
        public String value() {
            return value;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Key key() {
            return Key.PRINCIPAL_OR_IP;
        }

        @Override
        public Class<? extends KeyResolver> keyResolver() {
            return KeyResolver.class;
        }

        @Override
        public int cost() {
            return 1;
        }

        @Override
        public int[] countStatuses() {
            return new int[0];
        }

        @Override
        public Class<? extends Throwable>[] countExceptions() {
            return new Class[0];
        }

        @Override
        public Tier[] tiers() {
            return new Tier[0];
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.DEFAULT;
        }
    }
}
