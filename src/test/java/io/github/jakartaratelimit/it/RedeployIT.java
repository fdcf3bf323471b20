package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.jboss.shrinkwrap.api.exporter.ExplodedExporter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nothing of an application survives its undeployment: the same war is redeployed 20 times in one Payara Micro,
 * with the JCache API from the server and the provider (the bundled Ehcache) from the war, the combination in which
 * {@code javax.cache.Caching}'s static registry used to keep every old application's class loader. After a full
 * collection the server's class loader statistics ({@code jcmd VM.classloader_stats}) must show no more application
 * class loaders than one deployment has.
 */
@Tag("payara")
class RedeployIT {

    private static final Path DIR = Path.of("target/redeploy");
    private static final String LOADER = "org.glassfish.web.loader.WebappClassLoader";
    private static final int REDEPLOYMENTS = 20;

    @Test
    void redeployingTwentyTimesLeavesNoApplicationClassLoaderBehind() throws Exception {
        Path war = DIR.resolve("leak");
        Files.createDirectories(DIR);
        Deployments.testApplication("leak", "ratelimit.cache.provider=ehcache\nratelimit.on-storage-failure=local")
                .as(ExplodedExporter.class).exportExploded(DIR.toFile(), "leak");
        Path reload = war.resolve(".reload");
        Files.writeString(reload, "");
        try (ServerProcess payara = ServerProcess.payara(DIR.resolve("payara.log"), List.of(),
                List.of("--nocluster", "--port", "18780", "--deploy", war.toString()))) {
            payara.awaitReady();
            Http http = new Http(new URL("http://127.0.0.1:18780/leak/"));
            assertEquals(200, http.get("api/greeting").statusCode());
            long before = applicationLoaders(payara);
            for (int i = 1; i <= REDEPLOYMENTS; i++) {
                int deployed = payara.count("leak was successfully deployed");
                Files.setLastModifiedTime(reload, FileTime.from(Instant.now().plusSeconds(i)));
                payara.await("redeployed " + i + " times", out -> payara.count("leak was successfully deployed") > deployed, 120);
            }
            assertEquals(200, http.get("api/greeting").statusCode(), "the last deployment works");
            long after = applicationLoaders(payara);
            assertTrue(after <= before + 1, "application class loaders: " + before + " after one deployment, " + after
                    + " after " + REDEPLOYMENTS + " more (see " + DIR.resolve("classloaders.txt") + ")");
        }
    }

    /** Web application class loaders alive after a full collection, with classes loaded. */
    private static long applicationLoaders(ServerProcess payara) throws IOException, InterruptedException {
        jcmd(payara, "GC.run");
        String stats = jcmd(payara, "VM.classloader_stats");
        Files.writeString(DIR.resolve("classloaders.txt"), stats);
        return stats.lines().filter(line -> line.contains(LOADER)).count();
    }

    private static String jcmd(ServerProcess payara, String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(payara.pid()), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, jcmd.waitFor(), output);
        return output;
    }
}
