package io.github.jakartaratelimit.cdi;

import io.github.jakartaratelimit.RateLimitStatus;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.RequestScoped;

/**
 * The limits that applied during the current request, in the order they were checked, so that the HTTP
 * layer can report them in headers however deep in the call they were checked (an EJB behind a resource).
 */
@RequestScoped
public class RequestStatuses {

    private final List<RateLimitStatus> statuses = new ArrayList<>(2);

    void add(List<RateLimitStatus> more) {
        statuses.addAll(more);
    }

    /** The statuses recorded so far in this request. */
    public List<RateLimitStatus> all() {
        return List.copyOf(statuses);
    }
}
