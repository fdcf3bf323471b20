package io.github.jakartaratelimit.benchmarks.http;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("bench")
public class BenchApplication extends Application {
}
