package io.github.jakartaratelimit.it;

import io.github.jakartaratelimit.it.app.TestApplication;

import java.io.File;
import java.util.Objects;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Test applications packaged the way users package theirs: the library and Ehcache in WEB-INF/lib. */
final class Deployments {

    private Deployments() {
    }

    /** The library as built by this module: target/classes, with its beans.xml and extension registration. */
    static JavaArchive library() {
        return ShrinkWrap.create(ExplodedImporter.class, "jakarta-ratelimit.jar")
                .importDirectory("target/classes").as(JavaArchive.class);
    }

    /** The library's runtime dependencies, copied by the build before the integration tests. */
    static File[] libraryDependencies() {
        return Objects.requireNonNull(new File("target/it-lib").listFiles(), "target/it-lib: run through mvn verify");
    }

    /** The test application of {@code io.github.jakartaratelimit.it.app} with the given MicroProfile Config. */
    static WebArchive testApplication(String name, String config) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibrary(library())
                .addAsLibraries(libraryDependencies())
                .addPackage(TestApplication.class.getPackage())
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties")
                .addAsWebInfResource(new File("src/test/resources/it/web.xml"), "web.xml")
                .addAsWebInfResource(new File("src/test/resources/it/payara-web.xml"), "payara-web.xml");
    }
}
