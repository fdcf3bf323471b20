package io.github.jakartaratelimit.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.RateLimited;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.inject.Stereotype;
import jakarta.interceptor.InterceptorBinding;

import org.junit.jupiter.api.Test;

/** The limit in force is the one CDI binds: declared or carried by stereotypes and bindings, method before class. */
class BindingsTest {

    @Stereotype
    @RateLimited("2/minute")
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Throttled {
    }

    @Stereotype
    @Throttled
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface PublicApi {
    }

    @Stereotype
    @RateLimited("9/minute")
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Metered {
    }

    @InterceptorBinding
    @RateLimited("7/minute")
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface Guarded {
    }

    @Throttled
    static class ThrottledClass {
        public void inherited() {
        }

        @RateLimited("1/second")
        public void declared() {
        }

        @Guarded
        public void guarded() {
        }
    }

    @PublicApi
    static class StereotypeOfAStereotype {
        public void call() {
        }
    }

    @Throttled
    @RateLimited("5/minute")
    static class DeclaredAndCarried {
        public void call() {
        }
    }

    @Throttled
    @Metered
    static class TwoCarried {
        public void call() {
        }
    }

    static class Unlimited {
        public void call() {
        }
    }

    @Test
    void aStereotypeOnTheClassCarriesTheLimit() throws Exception {
        Bindings.Found found = find(ThrottledClass.class, "inherited");
        assertEquals("2/minute", found.annotation().value());
        assertFalse(found.onMethod());
    }

    @Test
    void theMethodsOwnWinsOverTheClasss() throws Exception {
        Bindings.Found found = find(ThrottledClass.class, "declared");
        assertEquals("1/second", found.annotation().value());
        assertTrue(found.onMethod());
    }

    @Test
    void anInterceptorBindingOnTheMethodCarriesTheLimit() throws Exception {
        Bindings.Found found = find(ThrottledClass.class, "guarded");
        assertEquals("7/minute", found.annotation().value());
        assertTrue(found.onMethod());
    }

    @Test
    void stereotypesCarryThroughStereotypes() throws Exception {
        assertEquals("2/minute", find(StereotypeOfAStereotype.class, "call").annotation().value());
    }

    @Test
    void aDeclaredLimitWinsOverACarriedOne() throws Exception {
        assertEquals("5/minute", find(DeclaredAndCarried.class, "call").annotation().value());
    }

    @Test
    void twoDifferentCarriedLimitsFailNamingTheMethod() {
        Guards.DefinitionProblem problem = assertThrows(Guards.DefinitionProblem.class, () -> find(TwoCarried.class, "call"));
        assertTrue(problem.getMessage().startsWith("Invalid @RateLimited on " + TwoCarried.class.getName()
                + "#call: several @RateLimited apply"), problem.getMessage());
        assertTrue(problem.getMessage().endsWith("expected exactly one"), problem.getMessage());
    }

    @Test
    void noLimitWhereNothingCarriesOne() throws Exception {
        assertNull(find(Unlimited.class, "call"));
    }

    private static Bindings.Found find(Class<?> type, String method) throws NoSuchMethodException {
        return Guards.annotation(type, type.getMethod(method));
    }
}
