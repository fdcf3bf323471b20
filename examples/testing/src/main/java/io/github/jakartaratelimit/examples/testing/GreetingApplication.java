package io.github.jakartaratelimit.examples.testing;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("api")
public class GreetingApplication extends Application {
}
