package io.github.jakartaratelimit.examples.quickstart;

import io.github.jakartaratelimit.RateLimited;

import jakarta.ejb.Stateless;

/** An expensive operation, limited where it is implemented, whoever calls it. */
@Stateless
public class ReportService {

    @RateLimited(name = "reports", value = "2 per minute")
    public String build() {
        return "Report built";
    }
}
