package io.github.jakartaratelimit.jaxrs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.RateLimitExceededException;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import org.junit.jupiter.api.Test;

/** When the filter may answer a breach itself: only while no mapper of the application could be the one chosen. */
class RateLimitFeatureTest {

    static class OwnAnswer implements ExceptionMapper<RateLimitExceededException> {
        @Override
        public Response toResponse(RateLimitExceededException exception) {
            return Response.status(429).build();
        }
    }

    static class CatchAll implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable exception) {
            return Response.serverError().build();
        }
    }

    static class RuntimeFailures implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException exception) {
            return Response.serverError().build();
        }
    }

    abstract static class Generic<E extends Throwable> implements ExceptionMapper<E> {
        @Override
        public Response toResponse(E exception) {
            return Response.status(418).build();
        }
    }

    static class ThroughGeneric extends Generic<RateLimitExceededException> {
    }

    static class SubclassOfOwn extends OwnAnswer {
    }

    @Test
    void anApplicationMapperForBreachesIsItsOwnAnswer() {
        assertTrue(RateLimitFeature.mapsBreaches(OwnAnswer.class));
        assertTrue(RateLimitFeature.mapsBreaches(SubclassOfOwn.class), "declared by a superclass");
    }

    @Test
    void aMapperForASupertypeNeverWinsOverTheLibrarys() {
        assertFalse(RateLimitFeature.mapsBreaches(CatchAll.class));
        assertFalse(RateLimitFeature.mapsBreaches(RuntimeFailures.class));
    }

    @Test
    void aMapperWhoseTypeCannotBeToldIsAssumedToAnswerBreaches() {
        assertTrue(RateLimitFeature.mapsBreaches(ThroughGeneric.class));
    }

    @Test
    void theLibrarysOwnMapperAndOtherProvidersAreNot() {
        assertFalse(RateLimitFeature.mapsBreaches(RateLimitExceptionMapper.class));
        assertFalse(RateLimitFeature.mapsBreaches(RateLimitResponseFilter.class));
        assertFalse(RateLimitFeature.mapsBreaches(String.class));
    }
}
