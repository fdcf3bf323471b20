package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitStorageFailure;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** An alerting observer with a bug of its own: it throws. The call that met the failure must not become a 500. */
@ApplicationScoped
public class StorageAlarm {

    void raise(@Observes RateLimitStorageFailure failure) {
        throw new IllegalStateException("the alerting system is down too");
    }
}
