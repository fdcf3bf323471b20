package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jakartaratelimit.it.app.TestApplication;
import io.github.jakartaratelimit.it.extended.AddedLimitExtension;
import io.github.jakartaratelimit.it.invalid.AsyncReportService;
import io.github.jakartaratelimit.it.invalid.BadExpressionResource;
import io.github.jakartaratelimit.it.invalid.CostlyResource;
import io.github.jakartaratelimit.it.invalid.LateLimitExtension;
import io.github.jakartaratelimit.it.invalid.LateLimitedWork;
import io.github.jakartaratelimit.it.invalid.SearchResource;
import io.github.jakartaratelimit.it.invalid.SharedNameResource;
import io.github.jakartaratelimit.it.invalid.StatusCountingService;
import io.github.jakartaratelimit.it.invalid.UnscopedAttemptResource;
import io.github.jakartaratelimit.it.invalid.UnresolvableKeyResource;
import io.github.jakartaratelimit.it.invalid.UnscopedBadResource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.inject.spi.Extension;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Invalid limits and settings must fail the deployment with a message that names {@code class#method}, the
 * bad text and what was expected. Several invalid applications are deployed to one real Payara Micro
 * (started here, since Arquillian cannot report why a deployment failed), and its log is read as a user would.
 */
@Tag("payara")
class InvalidDeploymentIT {

    private static final String PACKAGE = "io.github.jakartaratelimit.it.invalid.";
    private static String log;

    @BeforeAll
    static void deployInvalidApplications() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/invalid-deployments"));
        List<String> arguments = new ArrayList<>(List.of("--nocluster", "--port", "18380", "--autoBindHttp"));
        deploy(dir, arguments, "bad-expression", "", BadExpressionResource.class);
        deploy(dir, arguments, "costly", "", CostlyResource.class);
        deploy(dir, arguments, "bad-override", "ratelimit.limits.search=0 per minute", SearchResource.class);
        deploy(dir, arguments, "bad-method-override",
                PACKAGE + "SearchResource/search/RateLimited/value=5 per", SearchResource.class);
        deploy(dir, arguments, "bad-settings", "ratelimit.algorithm=leaky-bucket\nratelimit.headers=all", SearchResource.class);
        deploy(dir, arguments, "bad-resolver", "", UnresolvableKeyResource.class);
        deploy(dir, arguments, "shared-name", "", SharedNameResource.class);
        deploy(dir, arguments, "async-ejb", "", AsyncReportService.class);
        // Valid, but two settings change nothing: the deployment warns (before any web application fails to start).
        deploy(dir, arguments, "stray-keys", "ratelimit.algoritm=sliding-window\nratelimit.limits.serach=5 per minute",
                SearchResource.class);
        // Payara starts no further web application after one failed to start: one war for both such failures.
        deploy(dir, arguments, "unscoped-bad", "", UnscopedBadResource.class, UnscopedAttemptResource.class);
        deploy(dir, arguments, "status-counting-bean", "", StatusCountingService.class);
        deploy(dir, arguments, "late-binding", ShrinkWrap.create(JavaArchive.class, "late.jar")
                .addClasses(LateLimitExtension.class, LateLimitedWork.class, AddedLimitExtension.Literal.class)
                .addAsServiceProvider(Extension.class, LateLimitExtension.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml"));
        // Payara Micro stays up when deployments fail: run it until it is ready, then read what it said.
        try (ServerProcess payara = ServerProcess.payara(dir.resolve("payara.log"), List.of(), arguments)) {
            payara.awaitReady();
            log = payara.output();
        }
    }

    private static void deploy(Path dir, List<String> arguments, String name, String config, Class<?>... classes) {
        export(dir, arguments, name, war(name).addClasses(classes)
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties"));
    }

    /** An application of a library jar only (with a bean and an extension). */
    private static void deploy(Path dir, List<String> arguments, String name, JavaArchive library) {
        export(dir, arguments, name, war(name).addAsLibrary(library));
    }

    private static WebArchive war(String name) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibrary(Deployments.library())
                .addAsLibraries(Deployments.libraryDependencies())
                .addClass(TestApplication.class);
    }

    private static void export(Path dir, List<String> arguments, String name, WebArchive war) {
        File file = dir.resolve(name + ".war").toFile();
        war.as(ZipExporter.class).exportTo(file, true);
        arguments.add("--deploy");
        arguments.add(file.getPath());
    }

    @Test
    void anUnknownUnitNamesTheMethodTheTextAndTheGrammar() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "BadExpressionResource#hello: invalid limit in value: "
                + "unknown unit \"fortnight\" (expected second, minute, hour, day, month or year) at position 7 of \"10 per fortnight\"; "
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
                + PACKAGE + "SearchResource/search/RateLimited/value: expected a unit (second, minute, hour, day, month or year) "
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
    void oneNameWithTwoLimits() {
        assertLogged(": name \"shared\" is shared with " + PACKAGE + "SharedNameResource#");
        assertLogged("expected the same limits wherever a name is used, since a name is one counter");
    }

    @Test
    void anAsynchronousEjbMethodKeyedByTheClientAddress() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "AsyncReportService#build: key PRINCIPAL_OR_IP needs the "
                + "caller's address, which an @Asynchronous EJB method cannot know");
    }

    /** CDI never sees a resource without a scope: the servlet container hands it over while the war deploys. */
    @Test
    void anInvalidLimitOnAResourceThatIsNoBean() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "UnscopedBadResource#get: invalid limit in value: unknown unit "
                + "\"moon\"");
        assertLogged("Startup of context /unscoped-bad failed");
        assertLogged("jaxrs.ResourceValidation"); // while the war deploys, not later when JAX-RS starts
    }

    @Test
    void countingStatusesWhereThereIsNoResponse() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "StatusCountingService#check: countStatuses applies to "
                + "JAX-RS resource methods (the status of their response); expected countExceptions on other methods");
    }

    @Test
    void countingExceptionsOfAResourceThatIsNoBean() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "UnscopedAttemptResource#attempt: countExceptions on a "
                + "resource class that is no CDI bean, whose exceptions the library cannot see");
    }

    /** A key that changes nothing is named, with the closest one that would. */
    @Test
    void settingsThatChangeNothingAreWarnedAbout() {
        assertLogged("jakarta-ratelimit: ratelimit.algoritm is no setting of jakarta-ratelimit, so it changes nothing; "
                + "the closest one is ratelimit.algorithm");
        assertLogged("jakarta-ratelimit: ratelimit.limits.serach names no policy of this application (no "
                + "@RateLimited(name = \"serach\")), so it changes nothing unless code defines it through RateLimits; the closest name in use is search");
    }

    /** A binding added once the library bound its interceptor would count nothing: the deployment says so. */
    @Test
    void aBindingAddedTooLateByAnotherExtension() {
        assertLogged("Invalid @RateLimited on " + PACKAGE + "LateLimitedWork#work: its @RateLimited was added after the "
                + "library bound its interceptor (at ProcessAnnotatedType, priority LIBRARY_AFTER + 900)");
    }

    @Test
    void noInvalidApplicationWasDeployed() {
        assertTrue(log.contains("ready in"), "Payara Micro did not finish starting; see target/invalid-deployments/payara.log");
        long failures = log.lines().filter(line -> line.contains("Exception while loading the app :")).count();
        // Payara reports a web application whose startup failed (unscoped-bad) apart from the others.
        assertEquals(10, failures, "failed deployments in target/invalid-deployments/payara.log");
    }

    private static void assertLogged(String message) {
        assertTrue(log.contains(message), "Payara's log lacks: " + message + "\nsee target/invalid-deployments/payara.log");
    }
}
