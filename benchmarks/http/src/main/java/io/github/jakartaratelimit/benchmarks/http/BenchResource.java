package io.github.jakartaratelimit.benchmarks.http;

import io.github.jakartaratelimit.RateLimited;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Three identical endpoints: without a limit, under a limit never reached, and over an exhausted one; and a fourth
 * without a limit that computes for a given time first, so that what the limiter costs a request can be set beside
 * what the same time of any work costs it on the same server (benchmarks/http.sh, {@code SPIN}).
 */
@Path("/")
@ApplicationScoped
public class BenchResource {

    /**
     * How long {@link #spin} computes, in nanoseconds: read once from the environment (benchmarks/http.sh sets it), so
     * that the endpoint differs from the unlimited one by that work alone and not also by a parameter to convert.
     */
    private static final long SPIN_NANOS = Long.parseLong(System.getenv().getOrDefault("BENCH_SPIN_NANOS", "0"));

    /** Written once per call to {@link #spin}, so that the JIT cannot drop its loop. */
    static volatile long sink;

    @GET
    @Path("unlimited")
    public String unlimited() {
        return "ok";
    }

    @GET
    @Path("limited")
    @RateLimited(name = "limited", value = "1000000000 per day")
    public String limited() {
        return "ok";
    }

    @GET
    @Path("exhausted")
    @RateLimited(name = "exhausted", value = "1 per day")
    public String exhausted() {
        return "ok";
    }

    /** Answers how long it computed, so that the benchmark can check that it does. */
    @GET
    @Path("spin")
    public String spin() {
        long start = System.nanoTime();
        long state = start;
        do {
            for (int i = 0; i < 16; i++) {
                state = state * 6364136223846793005L + 1442695040888963407L; // a step of a linear congruential generator
            }
        } while (System.nanoTime() - start < SPIN_NANOS);
        sink = state;
        return Long.toString(SPIN_NANOS);
    }
}
