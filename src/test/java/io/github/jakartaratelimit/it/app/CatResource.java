package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;

@Path("cats")
@RequestScoped
@RateLimited("2 per minute")
public class CatResource extends CrudResource {
}
