package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.it.app.TestApplication;
import io.github.jakartaratelimit.it.invalid.BadExpressionResource;
import io.github.jakartaratelimit.it.invalid.CostlyResource;
import io.github.jakartaratelimit.it.invalid.SearchResource;
import io.github.jakartaratelimit.it.invalid.UnresolvableKeyResource;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invalid limits and settings must fail the deployment with a message that names {@code class#method}, the
 * bad text and what was expected. Several invalid applications are deployed to one real Payara Micro
 * (started here, since Arquillian cannot report why a deployment failed), and its log is read as a user would.
 */
class InvalidDeploymentIT {

    private static final String PACKAGE = "io.github.jakartaratelimit.it.invalid.";
    private static String log;

    @BeforeAll
    static void deployInvalidApplications() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/invalid-deployments"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                System.getProperty("payara.microJar"), "--nocluster", "--port", "18380", "--autoBindHttp"));
        deploy(dir, command, "bad-expression", "", BadExpressionResource.class);
        deploy(dir, command, "costly", "", CostlyResource.class);
        deploy(dir, command, "bad-override", "ratelimit.limits.search=0 per minute", SearchResource.class);
        deploy(dir, command, "bad-method-override",
                PACKAGE + "SearchResource/search/RateLimited/value=5 per", SearchResource.class);
        deploy(dir, command, "bad-settings", "ratelimit.algorithm=leaky-bucket\nratelimit.headers=all", SearchResource.class);
        deploy(dir, command, "bad-resolver", "", UnresolvableKeyResource.class);
        log = run(command);
    }

    private static void deploy(Path dir, List<String> command, String name, String config, Class<?>... classes) {
        File war = dir.resolve(name + ".war").toFile();
        ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibrary(Deployments.library())
                .addAsLibraries(Deployments.libraryDependencies())
                .addClass(TestApplication.class)
                .addClasses(classes)
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties")
                .as(ZipExporter.class).exportTo(war, true);
        command.add("--deploy");
        command.add(war.getPath());
    }

    /** Runs Payara Micro until it is ready (it stays up when deployments fail), returning its output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process payara = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(payara.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            String line;
            while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.contains("ready in")) {
                    break;
                }
            }
        } finally {
            payara.destroy();
            if (!payara.waitFor(30, TimeUnit.SECONDS)) {
                payara.destroyForcibly();
            }
        }
        Files.writeString(Path.of("target/invalid-deployments/payara.log"), output);
        return output.toString();
    }

    @Test
    void anUnknownUnitNamesTheMethodTheTextAndTheGrammar() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "BadExpressionResource#hello: invalid limit in value: "
                + "unknown unit \"fortnight\" (expected second, minute, hour or day) at position 7 of \"10 per fortnight\"; "
                + "expected limits like \"10 per minute\"");
    }

    @Test
    void aCostNoLimitCouldAdmit() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "CostlyResource#expensive: cost 3 is invalid: expected 1 to 2");
    }

    @Test
    void anInvalidOverrideByName() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "SearchResource#search: invalid limit in config key "
                + "ratelimit.limits.search: count must be at least 1 at position 0 of \"0 per minute\"");
    }

    @Test
    void anInvalidOverrideOfOneMethod() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "SearchResource#search: invalid limit in config key "
                + PACKAGE + "SearchResource/search/RateLimited/value: expected a unit (second, minute, hour or day) "
                + "at position 5 of \"5 per\"");
    }

    @Test
    void invalidSettings() {
        assertLogged("Invalid ratelimit.algorithm \"leaky-bucket\": expected fixed-window, sliding-window or token-bucket");
        assertLogged("Invalid ratelimit.headers \"all\": expected ietf, legacy, both or none");
    }

    @Test
    void aKeyResolverThatIsNotABean() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "UnresolvableKeyResource#tenant: keyResolver "
                + PACKAGE + "UnresolvableKeyResource$NotABean is not a CDI bean");
    }

    @Test
    void noInvalidApplicationWasDeployed() {
        assertTrue(log.contains("ready in"), "Payara Micro did not finish starting; see target/invalid-deployments/payara.log");
        long failures = log.lines().filter(line -> line.contains("Exception while loading the app :")).count();
        assertEquals(6, failures, "failed deployments in target/invalid-deployments/payara.log");
    }

    private static void assertLogged(String message) {
        assertTrue(log.contains(message), "Payara's log lacks: " + message + "\nsee target/invalid-deployments/payara.log");
    }
}
