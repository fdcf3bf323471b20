package io.github.jakartaratelimit.it.app;

import jakarta.ws.rs.GET;

/** One inherited method, limited differently by each subclass's class-level annotation. */
public abstract class CrudResource {

    @GET
    public String list() {
        return "[]";
    }
}
