package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.KeyResolver;
import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimitRejected;
import io.github.jakartaratelimit.RateLimited;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Decorator;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.Interceptor;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import jakarta.enterprise.inject.spi.ProcessSessionBean;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Validates every {@code @RateLimited} and every setting while the application deploys, and resolves them
 * into {@link Guard}s once. Anything invalid is a definition error: the deployment fails with a message
 * naming {@code class#method}, the bad text and what was expected, before any request can meet it.
 *
 * <p>Limited methods are found on the beans as the container finally defines them, so that a binding carried by a
 * stereotype, by another interceptor binding or added by another extension counts like a declared one.
 */
public class RateLimitExtension implements Extension {

    /** The EJB annotation, by name: servers without EJB must still load this class. */
    private static final String EJB_ASYNCHRONOUS = "jakarta.ejb.Asynchronous";
    /** JAX-RS annotations, by name: the CDI layer does not depend on Jakarta REST. */
    private static final String PATH = "jakarta.ws.rs.Path";
    private static final String HTTP_METHOD = "jakarta.ws.rs.HttpMethod";
    private static final String INTERCEPTOR = "jakarta.interceptor.Interceptor";
    private static final String DECORATOR = "jakarta.decorator.Decorator";

    private final List<Limited> limited = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<Site, Guard> guards = new HashMap<>();
    private final Set<Type> resolverTypes = new HashSet<>();
    private Settings settings;
    private Config config;
    /** The application's limiter once it started: the readiness check asks it. */
    private volatile RateLimiter limiter;
    private volatile List<Class<?>> resources = List.of();
    private volatile boolean rejectionsObserved;
    /** How each guard is made again from the configuration, when its limits are read again at run time. */
    private final Map<Guard, Supplier<Guard>> sources = new LinkedHashMap<>();

    /** A method that a {@code @RateLimited} applies to, as found on its bean. */
    private record Limited(Class<?> beanClass, Method method, Bindings.Found binding, boolean ejbAsynchronous,
                           boolean countedByFilter, boolean resourceMethod) {
    }

    /**
     * Binds the interceptor to the methods it counts: every limited method but the JAX-RS resource methods, which a
     * filter counts (those with a key resolver excepted: it needs their parameters). Late, so that a binding another
     * extension adds to the type is seen.
     */
    <T> void bind(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.LIBRARY_AFTER + 900)
                  ProcessAnnotatedType<T> event, BeanManager beans) {
        AnnotatedType<T> type = event.getAnnotatedType();
        if (type.getJavaClass().isAnnotation() || hasAnnotation(type, INTERCEPTOR) || hasAnnotation(type, DECORATOR)) {
            return;
        }
        Bindings bindings = Bindings.of(beans);
        Set<Method> counted = new HashSet<>();
        for (AnnotatedMethod<? super T> annotated : type.getMethods()) {
            Method method = annotated.getJavaMember();
            try {
                Bindings.Found found = interceptable(method) ? bindings.find(Guards.where(type.getJavaClass(), method),
                        annotated.getAnnotations(), type.getAnnotations()) : null;
                if (found != null && !countedByFilter(type, annotated, found.annotation())) {
                    counted.add(method);
                }
            } catch (Guards.DefinitionProblem reportedWhenTheBeanIsCollected) {
                // several bindings in force: collect() names them
            }
        }
        if (!counted.isEmpty()) {
            event.configureAnnotatedType().filterMethods(method -> counted.contains(method.getJavaMember()))
                    .forEach(method -> method.add(Counted.Literal.INSTANCE));
        }
    }

    /**
     * A resource method of a resource class, checked by the JAX-RS filter on the request's thread; unless the
     * interceptor must see its parameters (a key resolver) or its exceptions ({@code countExceptions}).
     */
    private static boolean countedByFilter(AnnotatedType<?> type, AnnotatedMethod<?> method, RateLimited binding) {
        return resourceMethod(type, method) && (binding.keyResolver() == KeyResolver.class
                && binding.countExceptions().length == 0
                || hasAnnotation(method, EJB_ASYNCHRONOUS) || hasAnnotation(type, EJB_ASYNCHRONOUS));
    }

    private static boolean resourceMethod(AnnotatedType<?> type, AnnotatedMethod<?> method) {
        return hasAnnotation(type, PATH) && isResourceMethod(method);
    }

    <T> void collect(@Observes ProcessManagedBean<T> event, BeanManager beans) {
        if (event.getBean() instanceof Interceptor || event.getBean() instanceof Decorator) {
            return; // the library's own interceptor carries its binding; it is not a limited bean
        }
        AnnotatedType<T> type = event.getAnnotatedBeanClass();
        Bindings bindings = Bindings.of(beans);
        boolean session = event instanceof ProcessSessionBean;
        for (AnnotatedMethod<? super T> annotated : type.getMethods()) {
            Method method = annotated.getJavaMember();
            if (!interceptable(method)) {
                continue;
            }
            try {
                Bindings.Found found = bindings.find(Guards.where(type.getJavaClass(), method), annotated.getAnnotations(),
                        type.getAnnotations());
                if (found == null) {
                    continue;
                }
                boolean byFilter = countedByFilter(type, annotated, found.annotation());
                if (!byFilter && !annotated.isAnnotationPresent(Counted.class)) {
                    throw new Guards.DefinitionProblem(Guards.where(type.getJavaClass(), method), "its @RateLimited "
                            + "was added after the library bound its interceptor (at ProcessAnnotatedType, priority "
                            + "LIBRARY_AFTER + 900), so no call would be counted; expected an extension to add it "
                            + "with an earlier priority");
                }
                limited.add(new Limited(type.getJavaClass(), method, found,
                        session && (hasAnnotation(annotated, EJB_ASYNCHRONOUS) || hasAnnotation(type, EJB_ASYNCHRONOUS)),
                        byFilter, resourceMethod(type, annotated)));
            } catch (Guards.DefinitionProblem problem) {
                problems.add(problem.getMessage());
            }
        }
    }

    void validate(@Observes AfterBeanDiscovery event) {
        if (present("org.eclipse.microprofile.health.HealthCheck")) {
            MicroProfileHealth.register(event, () -> limiter);
        }
        config = ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader());
        settings = Settings.read(config);
        settings.errors.forEach(error -> event.addDefinitionError(new DeploymentException(error)));
        problems.forEach(problem -> event.addDefinitionError(new DeploymentException(problem)));
        Map<String, Guard> byCounter = new LinkedHashMap<>();
        for (Limited site : limited) {
            try {
                Guard guard = Guards.forMethod(site.beanClass(), site.method(), site.binding(), settings, config);
                if (guard.outcomes.statuses().length > 0 && !site.resourceMethod()) {
                    throw new Guards.DefinitionProblem(guard.where, "countStatuses applies to JAX-RS resource methods "
                            + "(the status of their response); expected countExceptions on other methods");
                }
                if (site.countedByFilter()) {
                    guard = guard.filterOnly();
                } else if (site.ejbAsynchronous() && guard.needsClientAddress()) {
                    throw new Guards.DefinitionProblem(guard.where, "key " + guard.key + " needs the caller's address, "
                            + "which an @Asynchronous EJB method cannot know (the container runs it on another thread, "
                            + "after the call has returned); expected key = PRINCIPAL, GLOBAL or a keyResolver, or "
                            + "@RateLimited on the method that calls it, or jakarta.enterprise.concurrent.Asynchronous "
                            + "on a CDI bean instead (counted on the caller's thread)");
                }
                guards.put(new Site(site.beanClass(), site.method()), guard);
                sources.put(guard, () -> Guards.forMethod(site.beanClass(), site.method(), site.binding(), settings, config));
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

    /**
     * Notes whether the application observes rejections (an observer of {@code RateLimitRejected} or of a supertype
     * such as {@code Object}, without a qualifier the event lacks): only then does the limiter create and fire one
     * per refused call.
     */
    void collectObservers(@Observes ProcessObserverMethod<?, ?> event) {
        for (Annotation qualifier : event.getObserverMethod().getObservedQualifiers()) {
            if (qualifier.annotationType() != Any.class && qualifier.annotationType() != Default.class) {
                return; // such as @Initialized(ApplicationScoped.class) Object: never sees a rejection
            }
        }
        Type observed = event.getObserverMethod().getObservedType();
        Class<?> raw = observed instanceof Class<?> c ? c
                : observed instanceof java.lang.reflect.ParameterizedType p && p.getRawType() instanceof Class<?> c ? c : null;
        if (raw != null && raw.isAssignableFrom(RateLimitRejected.class)) {
            rejectionsObserved = true;
        }
    }

    /** Whether the application observes {@code RateLimitRejected} events. */
    boolean rejectionsObserved() {
        return rejectionsObserved;
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

    /**
     * Validates the {@code @RateLimited} of classes CDI never sees (JAX-RS resources without a scope), for a check
     * that runs while the application deploys; the same rules as for beans.
     *
     * @return the problems found, each naming {@code class#method}; empty when all are valid
     */
    public static List<String> problemsOf(Class<?> type, Iterable<Method> methods) {
        Config config = ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader());
        Settings settings = Settings.read(config);
        List<String> found = new ArrayList<>();
        for (Method method : methods) {
            try {
                Bindings.Found binding = Guards.annotation(type, method);
                if (binding != null && Guards.forMethod(type, method, binding, settings, config).outcomes.exceptions().length > 0
                        && !isBean(type)) {
                    found.add(exceptionsUnseen(Guards.where(type, method)));
                }
            } catch (Guards.DefinitionProblem problem) {
                found.add(problem.getMessage());
            }
        }
        return found;
    }

    /**
     * Logs a warning for each {@code ratelimit.*} key that changes nothing (a typo, or the limit of a name no method
     * uses), naming the closest key or name that would: once, when the web application starts, since only then are
     * the names of resources that are no beans known as well as the beans'.
     *
     * @param resources the application's JAX-RS resource classes
     */
    public static void warnAboutStrayKeys(Collection<Class<?>> resources) {
        BeanManager beans = beanManager();
        if (beans == null) {
            return; // the names in use cannot all be known: better no warning than a false one
        }
        Set<String> names = new HashSet<>();
        try {
            RateLimitExtension extension = beans.getExtension(RateLimitExtension.class);
            extension.resources = List.copyOf(resources); // where RateLimits finds the names of resources that are no beans
            for (Guard guard : extension.guards.values()) {
                if (guard.counterId.startsWith("n:")) {
                    names.add(guard.name);
                }
            }
        } catch (RuntimeException noExtension) { // CDI without the library's extension: the names are unknown
            return;
        }
        for (Class<?> type : resources) {
            for (Method method : type.getMethods()) {
                try {
                    Bindings.Found found = Guards.annotation(type, method);
                    if (found != null && !found.annotation().name().isBlank()) {
                        names.add(found.annotation().name().trim());
                    }
                } catch (Guards.DefinitionProblem reportedElsewhere) {
                    // the validation names it
                }
            }
        }
        Config config = ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader());
        for (String warning : Settings.strayKeys(config.getPropertyNames(), names)) {
            java.util.logging.Logger.getLogger(RateLimitExtension.class.getName()).warning("jakarta-ratelimit: " + warning);
        }
    }

    /**
     * What the OpenAPI document says of the application's limits, read from its configuration once per document.
     *
     * @param settings the library's settings
     */
    public record Documentation(Settings settings) {

        /** Read as at deployment, with the same defaults and the same checks. */
        public static Documentation of(Config config) {
            return new Documentation(Settings.read(config));
        }

        /**
         * Whether calls of a JAX-RS resource method may be refused: it has a {@code @RateLimited} in force, or
         * {@code ratelimit.default} applies to it; never while {@code ratelimit.enabled=false}.
         */
        public boolean limited(Class<?> resource, Method method) {
            if (!settings.enabled) {
                return false;
            }
            try {
                if (Guards.annotation(resource, method) != null) {
                    return true;
                }
            } catch (Guards.DefinitionProblem invalid) {
                return true; // the deployment fails for it anyway
            }
            return !settings.defaultLimits.isEmpty() && !method.isAnnotationPresent(RateLimitExempt.class)
                    && !resource.isAnnotationPresent(RateLimitExempt.class);
        }

        /** Whether calls are refused (503) while the store is down: {@code ratelimit.on-storage-failure=deny}. */
        public boolean deniedWhileDown() {
            return settings.onStorageFailure == Settings.OnStorageFailure.DENY;
        }

        /** Which rate limit headers a 429 carries. */
        public Settings.Headers headers() {
            return settings.headers;
        }
    }

    /** The web application's own {@code BeanManager}; {@code null} where it cannot be found. */
    private static BeanManager beanManager() {
        try {
            return (BeanManager) new javax.naming.InitialContext().lookup("java:comp/BeanManager");
        } catch (javax.naming.NamingException | RuntimeException none) {
            return null;
        }
    }

    /**
     * Whether the container made the class a bean; true when it cannot tell (checked again when JAX-RS starts). The
     * web application's own {@code BeanManager}: {@code CDI.current()} cannot tell which one a library class means.
     */
    private static boolean isBean(Class<?> type) {
        BeanManager beans = beanManager();
        try {
            return beans == null || !beans.getBeans(type).isEmpty();
        } catch (RuntimeException cannotTell) {
            return true;
        }
    }

    static String exceptionsUnseen(String where) {
        return "Invalid @RateLimited on " + where + ": countExceptions on a resource class that is no CDI bean, whose "
                + "exceptions the library cannot see; expected a scope on the class (for example @RequestScoped), or "
                + "countStatuses";
    }

    /** Whether the application can see the class (an optional API: MicroProfile Health). */
    private static boolean present(String className) {
        try {
            Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    static boolean interceptable(Method method) {
        int modifiers = method.getModifiers();
        return !Modifier.isStatic(modifiers) && !Modifier.isPrivate(modifiers) && !method.isSynthetic()
                && method.getDeclaringClass() != Object.class;
    }

    /** A JAX-RS resource method or sub-resource locator: an HTTP method designator, or {@code @Path}. */
    private static boolean isResourceMethod(Annotated method) {
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().getName().equals(PATH)) {
                return true;
            }
            for (Annotation meta : annotation.annotationType().getAnnotations()) {
                if (meta.annotationType().getName().equals(HTTP_METHOD)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasAnnotation(Annotated annotated, String typeName) {
        for (Annotation annotation : annotated.getAnnotations()) {
            if (annotation.annotationType().getName().equals(typeName)) {
                return true;
            }
        }
        return false;
    }

    void started(RateLimiter started) {
        limiter = started;
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

    /** How each guard of {@link #guards()} is made again from the configuration. */
    Map<Guard, Supplier<Guard>> sources() {
        return sources;
    }

    /** The application's JAX-RS resource classes, as the servlet container reported them; empty until it has. */
    List<Class<?>> resources() {
        return resources;
    }
}
