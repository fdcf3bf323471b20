package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimited;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.inject.Stereotype;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.interceptor.InterceptorBinding;

/**
 * Finds the {@code @RateLimited} in force on a method the way CDI binds interceptors: declared on the method or
 * on the class, directly or through a stereotype or another interceptor binding that carries it (transitively).
 * A method-level binding wins over the class's, and a declared one over one carried at the same level.
 */
final class Bindings {

    private final Function<Class<? extends Annotation>, Collection<Annotation>> definitions;

    private Bindings(Function<Class<? extends Annotation>, Collection<Annotation>> definitions) {
        this.definitions = definitions;
    }

    /** Definitions as the container knows them, including stereotypes and bindings that extensions declared. */
    static Bindings of(BeanManager beans) {
        return new Bindings(type -> beans.isStereotype(type) ? beans.getStereotypeDefinition(type)
                : beans.isInterceptorBinding(type) ? beans.getInterceptorBindingDefinition(type) : Set.of());
    }

    /** Definitions read from the annotation classes, for classes the container did not report as beans. */
    static Bindings reflective() {
        return new Bindings(type -> type.isAnnotationPresent(Stereotype.class) || type.isAnnotationPresent(InterceptorBinding.class)
                ? Arrays.asList(type.getAnnotations()) : Set.of());
    }

    /**
     * @return the annotation in force, with whether it is the method's; {@code null} when none applies
     * @throws Guards.DefinitionProblem when several different ones apply at the same level
     */
    Found find(String where, Collection<Annotation> onMethod, Collection<Annotation> onClass) {
        RateLimited method = single(where, onMethod);
        if (method != null) {
            return new Found(method, true);
        }
        RateLimited type = single(where, onClass);
        return type == null ? null : new Found(type, false);
    }

    /** Where the binding was found: on the method or on its class. */
    record Found(RateLimited annotation, boolean onMethod) {
    }

    /** A declared annotation wins over those carried by stereotypes or bindings at the same level. */
    private RateLimited single(String where, Collection<Annotation> annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof RateLimited declared) {
                return declared;
            }
        }
        List<RateLimited> found = new ArrayList<>(1);
        Set<Class<? extends Annotation>> visited = new HashSet<>();
        for (Annotation annotation : annotations) {
            collect(annotation, found, visited);
        }
        if (found.size() > 1) {
            throw new Guards.DefinitionProblem(where, "several @RateLimited apply " + found
                    + " (declared, or carried by stereotypes or interceptor bindings); expected exactly one");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private void collect(Annotation annotation, List<RateLimited> found, Set<Class<? extends Annotation>> visited) {
        if (annotation instanceof RateLimited limit) {
            if (!found.contains(limit)) {
                found.add(limit);
            }
            return;
        }
        if (visited.add(annotation.annotationType())) {
            for (Annotation carried : definitions.apply(annotation.annotationType())) {
                collect(carried, found, visited);
            }
        }
    }
}
