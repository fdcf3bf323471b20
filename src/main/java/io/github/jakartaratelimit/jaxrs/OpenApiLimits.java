package io.github.jakartaratelimit.jaxrs;

import io.github.jakartaratelimit.cdi.RateLimitExtension;
import io.github.jakartaratelimit.cdi.Settings;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents, where the server has MicroProfile OpenAPI, what a limited operation may answer besides its own responses:
 * {@code 429} with {@code Retry-After}, the rate limit headers and the problem body, and {@code 503} while the store
 * is down under {@code ratelimit.on-storage-failure=deny}. Named by the library's
 * {@code microprofile-config.properties} as {@code mp.openapi.filter}; an application with a filter of its own
 * calls {@link #filterOpenAPI} from it. Responses the application documents itself are left as they are.
 */
public class OpenApiLimits implements OASFilter {

    static final String PROBLEM_SCHEMA = "RateLimitProblem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        RateLimitExtension.Documentation limits = RateLimitExtension.Documentation.of(
                ConfigProvider.getConfig(OpenApiLimits.class.getClassLoader()));
        Map<String, Set<String>> limited = limitedOperations(ResourceValidation.found(), limits);
        if (limited.isEmpty()) {
            return;
        }
        boolean documented = false;
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            Set<String> methods = limited.get(normalized(path.getKey()));
            if (methods == null || path.getValue().getOperations() == null) {
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> operation : path.getValue().getOperations().entrySet()) {
                if (methods.contains(operation.getKey().name())) {
                    document(operation.getValue(), limits.deniedWhileDown(), limits.headers());
                    documented = true;
                }
            }
        }
        if (documented) {
            Components components = openAPI.getComponents();
            if (components == null) {
                components = OASFactory.createComponents();
                openAPI.setComponents(components);
            }
            if (components.getSchemas() == null || !components.getSchemas().containsKey(PROBLEM_SCHEMA)) {
                components.addSchema(PROBLEM_SCHEMA, problemSchema());
            }
        }
    }

    /** The limited operations by path (as OpenAPI writes it: application path included, no regular expressions). */
    static Map<String, Set<String>> limitedOperations(Collection<Class<?>> classes, RateLimitExtension.Documentation limits) {
        String applicationPath = "";
        for (Class<?> type : classes) {
            ApplicationPath path = type.getAnnotation(ApplicationPath.class);
            if (path != null && Application.class.isAssignableFrom(type)) {
                applicationPath = path.value();
            }
        }
        Map<String, Set<String>> limited = new HashMap<>();
        for (Class<?> type : classes) {
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                continue;
            }
            for (Method method : ResourceValidation.resourceMethods(type)) {
                String httpMethod = ResourceValidation.httpMethod(method);
                if (httpMethod != null && limits.limited(type, method)) {
                    Path methodPath = method.getAnnotation(Path.class);
                    String path = normalized(applicationPath + "/" + classPath.value() + "/"
                            + (methodPath == null ? "" : methodPath.value()));
                    limited.computeIfAbsent(path, p -> new HashSet<>()).add(httpMethod.toUpperCase(Locale.ROOT));
                }
            }
        }
        return limited;
    }

    /** One slash between segments, none at the end, templates without their regular expressions. */
    static String normalized(String path) {
        String plain = path.replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        if (!plain.startsWith("/")) {
            plain = "/" + plain;
        }
        return plain.length() > 1 && plain.endsWith("/") ? plain.substring(0, plain.length() - 1) : plain;
    }

    private static void document(Operation operation, boolean deny, Settings.Headers headers) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        if (!responses.hasAPIResponse("429")) {
            APIResponse tooMany = problem("Too Many Requests: a rate limit of this operation is used up; retry after "
                    + "Retry-After seconds")
                    .addHeader("Retry-After", header("Seconds until the call can pass (at least 1)", "integer"));
            if (headers.ietf()) {
                tooMany.addHeader("RateLimit-Policy", header("Each limit: \"<policy>\";q=<quota>;w=<window in seconds>", "string"))
                        .addHeader("RateLimit", header("Each limit: \"<policy>\";r=<remaining>;t=<seconds until reset>", "string"));
            }
            if (headers.legacy()) {
                tooMany.addHeader("X-RateLimit-Limit", header("The quota of the limit closest to exhaustion", "integer"))
                        .addHeader("X-RateLimit-Remaining", header("What is left of it", "integer"))
                        .addHeader("X-RateLimit-Reset", header("When it resets, in seconds since the epoch", "integer"));
            }
            responses.addAPIResponse("429", tooMany);
        }
        if (deny && !responses.hasAPIResponse("503")) {
            responses.addAPIResponse("503", problem("Service Unavailable: the rate limit store does not answer and "
                    + "ratelimit.on-storage-failure is deny; retry after Retry-After seconds")
                    .addHeader("Retry-After", header("Seconds until the store is tried again (at least 1)", "integer")));
        }
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/problem+json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA))));
    }

    private static Header header(String description, String type) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().type(type.equals("integer") ? Schema.SchemaType.INTEGER : Schema.SchemaType.STRING));
    }

    /** RFC 9457's problem details, with the policies that refused the call. */
    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().type(Schema.SchemaType.STRING);
        return OASFactory.createSchema().type(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .addProperty("type", OASFactory.createSchema().type(Schema.SchemaType.STRING).format("uri"))
                .addProperty("title", text)
                .addProperty("status", OASFactory.createSchema().type(Schema.SchemaType.INTEGER))
                .addProperty("detail", text)
                .addProperty("violated-policies", OASFactory.createSchema().type(Schema.SchemaType.ARRAY).items(text));
    }
}
