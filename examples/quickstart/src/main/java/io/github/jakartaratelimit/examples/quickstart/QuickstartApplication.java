package io.github.jakartaratelimit.examples.quickstart;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("api")
public class QuickstartApplication extends Application {
}
