package io.github.jakartaratelimit.it.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * A configuration source that changes while the application runs, as a config server's does: the properties file
 * named by the system property {@code ratelimit.it.config-file}, read on every access (nothing without it).
 * Registered only in the deployments of tests that change it.
 */
public class FileConfigSource implements ConfigSource {

    @Override
    public Map<String, String> getProperties() {
        String file = System.getProperty("ratelimit.it.config-file");
        Map<String, String> values = new HashMap<>();
        if (file == null || !Files.exists(Path.of(file))) {
            return values;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file))) {
            properties.load(reader);
        } catch (IOException e) {
            return values; // being rewritten: the next read sees it
        }
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String name) {
        return getProperties().get(name);
    }

    @Override
    public String getName() {
        return "ratelimit-it-file";
    }

    @Override
    public int getOrdinal() {
        return 500;
    }
}
