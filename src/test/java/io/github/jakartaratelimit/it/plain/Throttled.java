package io.github.jakartaratelimit.it.plain;

import io.github.jakartaratelimit.RateLimited;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Stereotype;

/** A stereotype of the application that carries the library's binding, as teams write for their conventions. */
@Stereotype
@RequestScoped
@RateLimited(name = "throttled", value = "2 per minute")
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Throttled {
}
