package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RateLimitExtension;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;

/**
 * Registers the library's request listener, warns about settings that change nothing, and fails the deployment when a JAX-RS resource that is no CDI bean (no scope, so CDI never sees it) carries an
 * invalid {@code @RateLimited}: the servlet container hands over every {@code @Path} class while the application
 * deploys, on every server, before any request.
 */
@HandlesTypes({Path.class, ApplicationPath.class})
public final class ResourceValidation implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(ResourceValidation.class.getName());

    /**
     * The application's resource and {@code Application} classes, as its servlet container reported them, for the
     * OpenAPI filter (kept here: a server without MicroProfile OpenAPI cannot even link that filter's class).
     */
    private static volatile List<Class<?>> found = List.of();

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        context.addListener(new RequestCapture());
        RateLimitExtension.warnAboutStrayKeys(classes == null ? Set.of() : classes);
        found = List.copyOf(classes == null ? Set.of() : classes);
        if (classes == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Class<?> type : classes) {
            if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()) && !Application.class.isAssignableFrom(type)) {
                problems.addAll(RateLimitExtension.problemsOf(type, resourceMethods(type)));
            }
        }
        if (!problems.isEmpty()) {
            String message = String.join("; ", problems);
            LOG.severe("jakarta-ratelimit: " + message);
            throw new ServletException(message);
        }
    }

    /** What {@link #onStartup} was handed; empty before. */
    static List<Class<?>> found() {
        return found;
    }

    static List<Method> resourceMethods(Class<?> type) {
        List<Method> methods = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (method.isAnnotationPresent(Path.class) || isHttpMethod(method)) {
                methods.add(method);
            }
        }
        return methods;
    }

    private static boolean isHttpMethod(Method method) {
        return httpMethod(method) != null;
    }

    /** The HTTP method of a resource method ({@code GET}...), {@code null} for a sub-resource locator or none. */
    static String httpMethod(Method method) {
        for (var annotation : method.getAnnotations()) {
            HttpMethod designator = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (designator != null) {
                return designator.value();
            }
        }
        return null;
    }
}
