package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimited;

import jakarta.ejb.Stateless;

@Stateless
public class ReportService {

    @RateLimited(name = "reports", value = "2 per minute")
    public String build() {
        return "report";
    }
}
