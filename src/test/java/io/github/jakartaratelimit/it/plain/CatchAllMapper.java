package io.github.jakartaratelimit.it.plain;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The mapper many applications have: every exception becomes a 500 with a body of their own. */
@Provider
public class CatchAllMapper implements ExceptionMapper<Throwable> {

    @Override
    public Response toResponse(Throwable exception) {
        return Response.serverError().entity("catch-all: " + exception.getClass().getName()).build();
    }
}
