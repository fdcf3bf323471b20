package io.github.jakartaratelimit.it.plain;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** An application that answers breaches with a mapper of its own. */
@ApplicationPath("own")
public class OwnAnswerApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(OwnAnswerResource.class, OwnBreachMapper.class);
    }
}
