package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.it.app.LogResource;
import io.github.jakartaratelimit.it.app.TokenAuthFilter;
import io.github.jakartaratelimit.it.extended.ConfiguredResource;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * An application that lists its classes, as many do: the runtime then registers nothing else, so the
 * library's providers must arrive without the user naming them.
 */
@ApplicationPath("listed")
public class ListedApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(UnscopedResource.class, StereotypedResource.class, ConfiguredResource.class, AsyncResource.class,
                DelegatingResource.class, ScopedResource.class, LogResource.class, TokenAuthFilter.class, CatchAllMapper.class);
    }
}
