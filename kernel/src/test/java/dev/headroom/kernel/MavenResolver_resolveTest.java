package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * %maven's resolver against a repository served over HTTP on this machine: the jar, its compile
 * dependencies through a parent POM's properties and dependency management, not its test or optional ones.
 */
class MavenResolver_resolveTest {
    @BeforeAll
    static void serveRepository(@TempDir Path build) throws IOException {
        TestRepository.start(build);
    }

    @AfterAll
    static void stopServer() {
        TestRepository.stop();
    }

    static URI repository() {
        return TestRepository.uri();
    }

    private static final Map<String, byte[]> FILES = TestRepository.FILES;
    private static final List<String> REQUESTS = TestRepository.REQUESTS;

    @Test
    void should_download_the_jar_and_its_compile_dependencies_into_the_local_repository(@TempDir Path local) throws Exception {
        MavenResolver resolver = new MavenResolver(repository(), local, Duration.ofSeconds(5));
        MavenResolver.Resolution resolution = resolver.resolve(MavenResolver.Coordinates.parse("demo:app:1.0"));
        assertEquals(List.of(local.resolve("demo/app/1.0/app-1.0.jar"), local.resolve("demo/lib/2.1/lib-2.1.jar")), resolution.jars());
        assertTrue(Files.isRegularFile(local.resolve("demo/lib/2.1/lib-2.1.pom")));
        assertTrue(REQUESTS.stream().noneMatch(p -> p.contains("only-for-tests") || p.contains("extra")), REQUESTS.toString());
        // AND a second resolution reads the local copies only
        REQUESTS.clear();
        new MavenResolver(repository(), local, Duration.ofSeconds(5)).resolve(MavenResolver.Coordinates.parse("demo:app:1.0"));
        assertEquals(List.of(), REQUESTS);
    }

    @Test
    void should_say_in_one_line_that_it_needs_the_network_when_the_repository_cannot_be_reached(@TempDir Path local) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MavenResolver resolver = new MavenResolver(URI.create("http://127.0.0.1:" + closedPort + "/maven2/"), local, Duration.ofSeconds(2));
        MavenResolver.MavenException e = assertThrows(MavenResolver.MavenException.class,
                () -> resolver.resolve(MavenResolver.Coordinates.parse("com.example:thing:1.0")));
        assertTrue(e.getMessage().startsWith("%maven needs network access to http://127.0.0.1:" + closedPort + "/maven2/"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void should_name_an_artifact_the_repository_does_not_have(@TempDir Path local) {
        MavenResolver resolver = new MavenResolver(repository(), local, Duration.ofSeconds(5));
        MavenResolver.MavenException e = assertThrows(MavenResolver.MavenException.class,
                () -> resolver.resolve(MavenResolver.Coordinates.parse("demo:nothing:9")));
        assertEquals("demo:nothing:9 is not in " + repository(), e.getMessage());
        assertThrows(MavenResolver.MavenException.class, () -> MavenResolver.Coordinates.parse("guava"));
    }

    @Test
    void should_refuse_a_file_that_does_not_match_its_published_sha1(@TempDir Path local) {
        FILES.put("demo/bad/1/bad-1.pom", "<project><groupId>demo</groupId><artifactId>bad</artifactId><version>1</version></project>".getBytes());
        FILES.put("demo/bad/1/bad-1.pom.sha1", "0000000000000000000000000000000000000000".getBytes());
        MavenResolver resolver = new MavenResolver(repository(), local, Duration.ofSeconds(5));
        MavenResolver.MavenException e = assertThrows(MavenResolver.MavenException.class,
                () -> resolver.resolve(MavenResolver.Coordinates.parse("demo:bad:1")));
        assertTrue(e.getMessage().contains("does not match its published SHA-1"), e.getMessage());
        assertTrue(!Files.exists(local.resolve("demo/bad/1/bad-1.pom")));
    }
}
