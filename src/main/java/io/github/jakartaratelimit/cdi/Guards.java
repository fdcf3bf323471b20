package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimited;
import io.github.jakartaratelimit.core.Algorithm;
import io.github.jakartaratelimit.core.InvalidLimitException;
import io.github.jakartaratelimit.core.Limit;
import io.github.jakartaratelimit.core.LimitExpression;
import io.github.jakartaratelimit.core.Policy;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/** Builds the {@link Guard} of a method from its annotation and the configuration that overrides it. */
final class Guards {

    /** The name of the application-wide default policy, as clients see it. */
    static final String DEFAULT_NAME = "default";

    private Guards() {
    }

    /**
     * The annotation in force on {@code method} of {@code beanClass}, read by reflection: for classes the container
     * did not report as beans (JAX-RS resources without a scope) and calls the extension did not see.
     *
     * @return {@code null} when none applies
     */
    static Bindings.Found annotation(Class<?> beanClass, Method method) {
        return Bindings.reflective().find(where(beanClass, method), List.of(method.getAnnotations()),
                List.of(beanClass.getAnnotations()));
    }

    static String where(Class<?> beanClass, Method method) {
        return beanClass.getName() + "#" + method.getName();
    }

    /**
     * @param found the annotation in force and whether it is the method's
     * @throws DefinitionProblem naming {@code class#method}, the bad text and what was expected
     */
    static Guard forMethod(Class<?> beanClass, Method method, Bindings.Found found, Settings settings, Config config) {
        RateLimited annotation = found.annotation();
        String where = where(beanClass, method);
        boolean onMethod = found.onMethod();
        String explicitName = annotation.name().trim();
        if (!annotation.name().isEmpty() && !printableAscii(explicitName)) {
            throw new DefinitionProblem(where, "name \"" + annotation.name()
                    + "\" is invalid: expected printable ASCII, not empty (it is sent in HTTP headers)");
        }

        String source = "value";
        String text = annotation.value();
        String classKey = (onMethod ? method.getDeclaringClass() : annotatedClass(beanClass)).getName();
        String[] keys = {
                explicitName.isEmpty() ? null : "ratelimit.limits." + explicitName,
                onMethod ? null : classKey + "/RateLimited/value",
                onMethod ? classKey + "/" + method.getName() + "/RateLimited/value" : null};
        for (String key : keys) {
            if (key != null) {
                Optional<String> override = config.getOptionalValue(key, String.class);
                if (override.isPresent()) {
                    text = override.get();
                    source = "config key " + key;
                }
            }
        }
        if (text.isBlank()) {
            throw new DefinitionProblem(where, "no limit: set @RateLimited(value = \"...\")"
                    + (explicitName.isEmpty() ? "" : " or ratelimit.limits." + explicitName)
                    + ", for example \"10 per minute\"");
        }
        Algorithm algorithm = annotation.algorithm() == RateLimited.Algorithm.DEFAULT
                ? settings.algorithm : Algorithm.valueOf(annotation.algorithm().name());
        Policy policy = policy(where, algorithm, text, source, annotation.cost());
        String counterId = explicitName.isEmpty() ? "m:" + where + parameterTypes(method) : "n:" + explicitName;
        String name = explicitName.isEmpty() ? method.getName() : explicitName;
        Guard guard = new Guard(where, name, counterId, policy, annotation.key(), annotation.keyResolver(), annotation.cost());
        for (int status : annotation.countStatuses()) {
            if (status < 100 || status > 599) {
                throw new DefinitionProblem(where, "countStatuses " + status + " is invalid: expected HTTP statuses, "
                        + "100 to 599");
            }
        }
        Outcomes outcomes = new Outcomes(annotation.countStatuses(), annotation.countExceptions());
        if (outcomes.conditional()) {
            guard = guard.counting(outcomes);
        }
        List<Guard.Tier> tiers = tiers(where, annotation, explicitName, algorithm, guard, config);
        return tiers.isEmpty() ? guard : guard.withTiers(tiers);
    }

    /**
     * The tiers of the annotation, each overridden by {@code ratelimit.limits.<name>.<role>} when the policy is named,
     * then the tiers such keys add (in the order of their roles).
     */
    private static List<Guard.Tier> tiers(String where, RateLimited annotation, String name, Algorithm algorithm,
                                          Guard guard, Config config) {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, String> sources = new HashMap<>();
        for (RateLimited.Tier tier : annotation.tiers()) {
            String role = tier.role().trim();
            if (role.isEmpty()) {
                throw new DefinitionProblem(where, "a tier has no role; expected the name of a role, as isUserInRole knows it");
            }
            if (texts.put(role, tier.value()) != null) {
                throw new DefinitionProblem(where, "role " + role + " has two tiers; expected one per role");
            }
            sources.put(role, "the tier of role " + role);
        }
        if (!name.isEmpty()) {
            String prefix = "ratelimit.limits." + name + ".";
            List<String> added = new ArrayList<>();
            for (String key : config.getPropertyNames()) {
                if (key.startsWith(prefix) && key.length() > prefix.length() && !texts.containsKey(key.substring(prefix.length()))) {
                    added.add(key.substring(prefix.length()));
                }
            }
            Collections.sort(added);
            for (String role : added) {
                texts.put(role, "");
                sources.put(role, "config key " + prefix + role);
            }
            for (String role : texts.keySet()) {
                Optional<String> override = config.getOptionalValue(prefix + role, String.class);
                if (override.isPresent()) {
                    texts.put(role, override.get());
                    sources.put(role, "config key " + prefix + role);
                }
            }
        }
        List<Guard.Tier> tiers = new ArrayList<>(texts.size());
        texts.forEach((role, text) -> tiers.add(new Guard.Tier(role,
                guard.forRole(role, policy(where, algorithm, text, sources.get(role), annotation.cost())))));
        return tiers;
    }

    /**
     * The policy of {@code text} for {@code guard}, with its algorithm and cost: new limits from code.
     *
     * @throws DefinitionProblem naming the guard, the bad text and what was expected
     */
    static Policy policyOf(Guard guard, String text) {
        if (text == null || text.isBlank()) {
            throw new DefinitionProblem(guard.where, "no limit: expected limits such as \"10 per minute\"");
        }
        return policy(guard.where, guard.policy().algorithm(), text, "limits \"" + text + "\"", (int) guard.cost);
    }

    /** The policy of a limit text, its cost checked against it. */
    private static Policy policy(String where, Algorithm algorithm, String text, String source, int cost) {
        List<Limit> limits;
        try {
            limits = LimitExpression.parse(text);
        } catch (InvalidLimitException e) {
            throw new DefinitionProblem(where, "invalid limit in " + source + ": " + e.getMessage());
        }
        Policy policy = new Policy(algorithm, limits);
        if (cost < 1 || cost > policy.smallestQuota()) {
            throw new DefinitionProblem(where, "cost " + cost + " is invalid: expected 1 to "
                    + policy.smallestQuota() + " (the smallest quota of \"" + text + "\"), or no call could ever pass");
        }
        return policy;
    }

    /**
     * The guard of a policy code defines ({@code RateLimits.policy(name, limits)}): keyed as the annotation's default,
     * its limits overridden by {@code ratelimit.limits.<name>}.
     *
     * @throws DefinitionProblem naming the call, the bad text and what was expected
     */
    static Guard forCode(String name, String limits, Settings settings, Config config) {
        String where = "RateLimits.policy(\"" + name + "\")";
        if (name == null || !printableAscii(name.trim()) || !name.equals(name.trim())) {
            throw new DefinitionProblem(where, "the name is invalid: expected printable ASCII, not empty, no spaces "
                    + "around it (it is sent in HTTP headers)");
        }
        String text = limits == null ? "" : limits;
        String source = "limits \"" + text + "\"";
        Optional<String> override = config.getOptionalValue("ratelimit.limits." + name, String.class);
        if (override.isPresent()) {
            text = override.get();
            source = "config key ratelimit.limits." + name;
        }
        if (text.isBlank()) {
            throw new DefinitionProblem(where, "no limit: expected limits such as \"10 per minute\", or ratelimit.limits." + name);
        }
        return new Guard(where, name, "n:" + name, policy(where, settings.algorithm, text, source, 1),
                RateLimited.Key.PRINCIPAL_OR_IP, null, 1);
    }

    /** The guard of {@code ratelimit.default} for one resource method: its own counter, named "default". */
    static Guard forDefault(Class<?> resourceClass, Method method, Settings settings) {
        String where = where(resourceClass, method);
        return new Guard(where, DEFAULT_NAME, "d:" + where, new Policy(settings.algorithm, settings.defaultLimits),
                RateLimited.Key.PRINCIPAL_OR_IP, null, 1);
    }

    /** Overloads are different methods: each has its own counter. */
    private static String parameterTypes(Method method) {
        StringBuilder types = new StringBuilder("(");
        for (Class<?> type : method.getParameterTypes()) {
            types.append(types.length() > 1 ? "," : "").append(type.getName());
        }
        return types.append(')').toString();
    }

    private static Class<?> annotatedClass(Class<?> beanClass) {
        Class<?> c = beanClass;
        while (c != null && c.getDeclaredAnnotation(RateLimited.class) == null) {
            c = c.getSuperclass();
        }
        return c != null ? c : beanClass;
    }

    private static boolean printableAscii(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** An invalid {@code @RateLimited}: the message names where, what and what was expected. */
    static final class DefinitionProblem extends RuntimeException {

        private static final long serialVersionUID = 1L;

        DefinitionProblem(String where, String problem) {
            super("Invalid " + (where.startsWith("RateLimits.") ? "" : "@RateLimited on ") + where + ": " + problem);
        }
    }
}
