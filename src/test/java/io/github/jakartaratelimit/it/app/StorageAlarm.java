package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitRejected;
import io.github.jakartaratelimit.RateLimitStorageFailure;

import jakarta.annotation.Priority;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/** Observers with a bug of their own: they throw. The call that met the failure or the limit must not become a 500. */
@ApplicationScoped
public class StorageAlarm {

    void raise(@Observes RateLimitStorageFailure failure) {
        throw new IllegalStateException("the alerting system is down too");
    }

    /** After the other observers (a lower priority runs first), so that they still see the event. */
    void audit(@Observes @Priority(Interceptor.Priority.APPLICATION + 900) RateLimitRejected rejected) {
        if (rejected.policy().equals("observed")) { // the one test that expects it
            throw new IllegalStateException("the audit log is down");
        }
    }
}
