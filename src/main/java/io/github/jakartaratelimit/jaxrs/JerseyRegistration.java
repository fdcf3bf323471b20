package io.github.jakartaratelimit.jaxrs;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.FeatureContext;

import org.glassfish.jersey.internal.spi.ForcedAutoDiscoverable;

/**
 * Registers {@link RateLimitFeature} in every Jersey server application (Payara, GlassFish), also in those that
 * list their classes and so would never find it by scanning. Loaded only by Jersey, through its service file.
 */
@ConstrainedTo(RuntimeType.SERVER)
public final class JerseyRegistration implements ForcedAutoDiscoverable {

    @Override
    public void configure(FeatureContext context) {
        if (context.getConfiguration().getRuntimeType() == RuntimeType.SERVER
                && !context.getConfiguration().isRegistered(RateLimitFeature.class)) {
            context.register(RateLimitFeature.class);
        }
    }
}
