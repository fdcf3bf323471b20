package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimitRejected;
import io.github.jakartaratelimit.RateLimitStoreAvailability;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** An application's observer of the library's events, and what it saw, one event per line. */
@Path("events")
@ApplicationScoped
@RateLimitExempt
public class EventLog {

    private final List<String> seen = new CopyOnWriteArrayList<>();

    void rejected(@Observes RateLimitRejected rejected) {
        seen.add("rejected " + rejected.policy() + " retry-after=" + rejected.retryAfter().toSeconds()
                + " remaining=" + rejected.statuses().get(0).remaining() + " key=" + rejected.key());
    }

    void store(@Observes RateLimitStoreAvailability change) {
        seen.add("store available=" + change.available() + " on-storage-failure=" + change.onStorageFailure());
    }

    @GET
    public String seen() {
        return String.join("\n", seen);
    }
}
