package io.github.jakartaratelimit.cdi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.interceptor.InterceptorBinding;

/**
 * The binding of the library's interceptor, which the extension adds to each method whose calls the interceptor must
 * count. {@code @RateLimited} stays an interceptor binding (stereotypes and other bindings may carry it) but binds no
 * interceptor itself: a JAX-RS resource method is counted by a filter, and its class, when nothing else intercepts it,
 * is then instantiated per request without an intercepted subclass and an interceptor instance for nothing.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface Counted {

    @SuppressWarnings("all")
    final class Literal extends AnnotationLiteral<Counted> implements Counted {

        static final Counted INSTANCE = new Literal();
        private static final long serialVersionUID = 1L;
    }
}
