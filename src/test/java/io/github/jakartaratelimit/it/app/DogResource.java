package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;

@Path("dogs")
@RequestScoped
@RateLimited("4 per minute")
public class DogResource extends CrudResource {
}
