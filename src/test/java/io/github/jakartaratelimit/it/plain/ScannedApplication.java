package io.github.jakartaratelimit.it.plain;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** An application that lets the runtime find its resources and providers, beside one that lists them. */
@ApplicationPath("scanned")
public class ScannedApplication extends Application {
}
