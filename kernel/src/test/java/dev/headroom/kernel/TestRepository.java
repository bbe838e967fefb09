package dev.headroom.kernel;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small Maven repository served over HTTP on this machine: demo:app:1.0 (class demo.app.App) depends on
 * demo:lib:2.1 (class demo.lib.Greeting, version from the parent POM's properties), on a POM-only artifact
 * whose version comes from the parent's dependency management, and on a test and an optional dependency
 * that are not in the repository.
 */
final class TestRepository {
    private static HttpServer server;
    static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();
    static final List<String> REQUESTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private TestRepository() {}

    static synchronized void start(Path build) throws IOException {
        if (server != null) {
            return;
        }
        Path libClasses = TestJars.compile(build.resolve("lib"), Map.of("demo.lib.Greeting",
                "package demo.lib; public final class Greeting { public static String of(String who) { return \"hello, \" + who; } }"), List.of());
        Path appClasses = TestJars.compile(build.resolve("app"), Map.of("demo.app.App",
                "package demo.app; public final class App { public static String greet() { return demo.lib.Greeting.of(\"notebook\"); } }"),
                List.of(libClasses));
        put("demo/parent/1/parent-1.pom", """
                <project><modelVersion>4.0.0</modelVersion><groupId>demo</groupId><artifactId>parent</artifactId><version>1</version>
                  <packaging>pom</packaging>
                  <properties><lib.version>2.1</lib.version></properties>
                  <dependencyManagement><dependencies>
                    <dependency><groupId>demo</groupId><artifactId>managed</artifactId><version>${lib.version}</version></dependency>
                  </dependencies></dependencyManagement>
                </project>""".getBytes());
        put("demo/app/1.0/app-1.0.pom", """
                <project><modelVersion>4.0.0</modelVersion>
                  <parent><groupId>demo</groupId><artifactId>parent</artifactId><version>1</version></parent>
                  <artifactId>app</artifactId><version>1.0</version>
                  <dependencies>
                    <dependency><groupId>demo</groupId><artifactId>lib</artifactId><version>${lib.version}</version></dependency>
                    <dependency><groupId>demo</groupId><artifactId>managed</artifactId></dependency>
                    <dependency><groupId>demo</groupId><artifactId>only-for-tests</artifactId><version>1</version><scope>test</scope></dependency>
                    <dependency><groupId>demo</groupId><artifactId>extra</artifactId><version>1</version><optional>true</optional></dependency>
                  </dependencies>
                </project>""".getBytes());
        put("demo/app/1.0/app-1.0.jar", Files.readAllBytes(TestJars.jar(appClasses, build.resolve("app.jar"))));
        put("demo/lib/2.1/lib-2.1.pom", """
                <project><modelVersion>4.0.0</modelVersion><groupId>demo</groupId><artifactId>lib</artifactId><version>2.1</version></project>"""
                .getBytes());
        put("demo/lib/2.1/lib-2.1.jar", Files.readAllBytes(TestJars.jar(libClasses, build.resolve("lib.jar"))));
        put("demo/managed/2.1/managed-2.1.pom", """
                <project><modelVersion>4.0.0</modelVersion><groupId>demo</groupId><artifactId>managed</artifactId><version>2.1</version>
                  <packaging>pom</packaging></project>""".getBytes());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring(1);
            REQUESTS.add(path);
            byte[] body = FILES.get(path);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    private static void put(String path, byte[] bytes) {
        FILES.put(path, bytes);
        try {
            FILES.put(path + ".sha1", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)).getBytes());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    static URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

}
