package io.github.jakartaratelimit.it;

import io.github.jakartaratelimit.it.app.TestApplication;

import java.io.File;
import java.util.Arrays;
import java.util.Objects;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Test applications packaged the way users package theirs: the library and Ehcache in WEB-INF/lib. */
final class Deployments {

    /** The server of this run of the integration tests: payara, wildfly or liberty (see pom.xml). */
    static final String SERVER = System.getProperty("ratelimit.it.server", "payara");

    private Deployments() {
    }

    /** The library's jar as the build packaged it, manifest included: what users get. */
    static JavaArchive library() {
        File jar = new File(Objects.requireNonNull(System.getProperty("ratelimit.jar"), "ratelimit.jar: run through mvn verify"));
        return ShrinkWrap.createFromZipFile(JavaArchive.class, jar);
    }

    /**
     * The library's runtime dependencies, copied by the build before the integration tests. Payara ships the
     * JCache API itself (parent-first), so there it is left out, as the docs tell users to do.
     */
    static File[] libraryDependencies() {
        File[] all = Objects.requireNonNull(new File("target/it-lib").listFiles(), "target/it-lib: run through mvn verify");
        return Arrays.stream(all)
                .filter(jar -> !(SERVER.equals("payara") && jar.getName().startsWith("cache-api-")))
                .toArray(File[]::new);
    }

    /** A war with the library and its dependencies in WEB-INF/lib, nothing else. */
    static WebArchive withLibrary(String name) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibrary(library())
                .addAsLibraries(libraryDependencies());
    }

    /** The test application of {@code io.github.jakartaratelimit.it.app} with the given MicroProfile Config. */
    static WebArchive testApplication(String name, String config) {
        return withLibrary(name)
                .addPackage(TestApplication.class.getPackage())
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties")
                .addAsWebInfResource(new File("src/test/resources/it/web.xml"), "web.xml");
    }
}
