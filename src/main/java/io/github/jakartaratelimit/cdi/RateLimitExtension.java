package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.KeyResolver;
import io.github.jakartaratelimit.RateLimited;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Validates every {@code @RateLimited} and every setting while the application deploys, and resolves them
 * into {@link Guard}s once. Anything invalid is a definition error: the deployment fails with a message
 * naming {@code class#method}, the bad text and what was expected, before any request can meet it.
 */
public class RateLimitExtension implements Extension {

    private final List<AnnotatedType<?>> limitedTypes = new ArrayList<>();
    private final Map<Site, Guard> guards = new HashMap<>();
    private final Set<Type> resolverTypes = new HashSet<>();
    private Settings settings;
    private Config config;

    <T> void collect(@Observes @WithAnnotations(RateLimited.class) ProcessAnnotatedType<T> event) {
        // The interceptor carries its own binding; it is not a limited bean.
        if (!event.getAnnotatedType().isAnnotationPresent(Interceptor.class)) {
            limitedTypes.add(event.getAnnotatedType());
        }
    }

    void validate(@Observes AfterBeanDiscovery event) {
        config = ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader());
        settings = Settings.read(config);
        settings.errors.forEach(error -> event.addDefinitionError(new DeploymentException(error)));
        Map<String, Guard> byCounter = new LinkedHashMap<>();
        for (AnnotatedType<?> type : limitedTypes) {
            Class<?> beanClass = type.getJavaClass();
            for (AnnotatedMethod<?> annotated : type.getMethods()) {
                Method method = annotated.getJavaMember();
                if (!interceptable(method) || Guards.annotation(beanClass, method) == null) {
                    continue;
                }
                try {
                    Guard guard = Guards.forMethod(beanClass, method, settings, config);
                    guards.put(new Site(beanClass, method), guard);
                    Guard sameCounter = byCounter.putIfAbsent(guard.counterId, guard);
                    if (sameCounter != null && !sameCounter.sameLimits(guard)) {
                        event.addDefinitionError(new DeploymentException("Invalid @RateLimited on " + guard.where
                                + ": name \"" + guard.name + "\" is shared with " + sameCounter.where
                                + " but the limits differ (" + guard.describe() + " vs " + sameCounter.describe()
                                + "); expected the same limits wherever a name is used, since a name is one counter"));
                    }
                } catch (Guards.DefinitionProblem problem) {
                    event.addDefinitionError(new DeploymentException(problem.getMessage()));
                }
            }
        }
    }

    /** Every bean that can serve as a key resolver, from every archive of the application. */
    <T> void collectResolvers(@Observes ProcessBean<T> event) {
        if (event.getBean().getTypes().stream().anyMatch(type -> type instanceof Class<?> c && KeyResolver.class.isAssignableFrom(c))) {
            event.getBean().getTypes().forEach(resolverTypes::add);
        }
    }

    void checkResolvers(@Observes AfterDeploymentValidation event) {
        for (Guard guard : guards.values()) {
            if (guard.resolver != null && !resolverTypes.contains(guard.resolver)) {
                event.addDeploymentProblem(new DeploymentException("Invalid @RateLimited on " + guard.where
                        + ": keyResolver " + guard.resolver.getName() + " is not a CDI bean; expected a bean class "
                        + "(for example @ApplicationScoped) implementing KeyResolver"));
            }
        }
    }

    static boolean interceptable(Method method) {
        int modifiers = method.getModifiers();
        return !Modifier.isStatic(modifiers) && !Modifier.isPrivate(modifiers) && !method.isSynthetic()
                && method.getDeclaringClass() != Object.class;
    }

    Settings settings() {
        return settings;
    }

    Config config() {
        return config;
    }

    Map<Site, Guard> guards() {
        return guards;
    }
}
