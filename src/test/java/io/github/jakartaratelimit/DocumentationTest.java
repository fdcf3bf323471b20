package io.github.jakartaratelimit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The testing how-to shows the files of examples/testing as they are, so that what it shows works as written. */
class DocumentationTest {

    private static final Path EXAMPLE = Path.of("examples/testing");
    private static final String TESTS = "src/test/java/io/github/jakartaratelimit/examples/testing/";

    @ParameterizedTest
    @ValueSource(strings = {TESTS + "GreetingLimitIT.java", TESTS + "TestClock.java", TESTS + "LimitsForTests.java",
            "src/test/resources/arquillian.xml"})
    void theTestingHowToShowsTheExampleAsItIs(String file) throws IOException {
        String howTo = Files.readString(Path.of("docs/howto/testing-your-limits.md"));
        String source = Files.readString(EXAMPLE.resolve(file)).strip();
        assertTrue(howTo.contains("\n" + source + "\n```"), file + " differs from docs/howto/testing-your-limits.md");
    }
}
