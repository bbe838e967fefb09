package dev.headroom.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * What {@code %maven group:artifact:version} does: downloads the jar and, from its POM, its compile and
 * runtime dependencies (transitively, nearest version first, optional and test ones left out) from
 * Maven Central into the local repository ({@code ~/.m2/repository}), checking each file's SHA-1 when
 * the repository publishes one. Files already in the local repository are not downloaded again.
 *
 * <p>This is a plain HTTP download, not Maven: POM properties, parents and their
 * {@code dependencyManagement} (BOM imports included) give versions; version ranges, profiles,
 * relocations and exclusions beyond the direct ones are not followed. It needs network access to the
 * repository and says so in one line when that fails.
 *
 * <p>Environment: {@code HEADROOM_MAVEN_REPO} (another repository URL), {@code HEADROOM_M2_REPO}
 * (another local repository folder).
 */
final class MavenResolver {
    static final String CENTRAL = "https://repo1.maven.org/maven2/";
    static final String REPO_ENV = "HEADROOM_MAVEN_REPO";
    static final String LOCAL_ENV = "HEADROOM_M2_REPO";
    private static final int MAX_DEPTH = 12;
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    private final URI repository;
    private final Path local;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, Model> models = new HashMap<>();

    /** A failure to resolve, in one line. */
    static final class MavenException extends Exception {
        MavenException(String message) {
            super(message);
        }
    }

    record Coordinates(String groupId, String artifactId, String version) {
        static Coordinates parse(String text) throws MavenException {
            String[] parts = text.strip().split(":");
            if (parts.length != 3 || List.of(parts).stream().anyMatch(String::isBlank)) {
                throw new MavenException("%maven takes group:artifact:version (for example com.google.guava:guava:33.3.1-jre), not '"
                        + text.strip() + "'");
            }
            return new Coordinates(parts[0].strip(), parts[1].strip(), parts[2].strip());
        }

        String key() {
            return groupId + ":" + artifactId;
        }

        String path(String extension) {
            return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version + "." + extension;
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    /** The jars of a resolution, in the order they were found, and dependencies that could not be given a version. */
    record Resolution(List<Path> jars, List<String> skipped) {}

    MavenResolver(URI repository, Path local, Duration timeout) {
        this.repository = repository.toString().endsWith("/") ? repository : URI.create(repository + "/");
        this.local = local;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    static MavenResolver fromEnvironment(Map<String, String> environment) {
        String repo = environment.getOrDefault(REPO_ENV, "");
        String localRepo = environment.getOrDefault(LOCAL_ENV, "");
        return new MavenResolver(URI.create(repo.isBlank() ? CENTRAL : repo.strip()),
                localRepo.isBlank() ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(localRepo.strip()),
                Duration.ofSeconds(15));
    }

    URI repository() {
        return repository;
    }

    Resolution resolve(Coordinates root) throws MavenException {
        record Pending(Coordinates coordinates, Set<String> exclusions, int depth) {}
        Deque<Pending> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        List<Path> jars = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        queue.add(new Pending(root, Set.of(), 0));
        seen.add(root.key());
        while (!queue.isEmpty()) {
            Pending next = queue.poll();
            Model model = model(next.coordinates(), next.depth() == 0);
            if (!model.packaging().equals("pom")) {
                jars.add(artifact(next.coordinates(), "jar", true));
            }
            if (next.depth() >= MAX_DEPTH) {
                continue;
            }
            for (Dependency dependency : model.dependencies()) {
                if (dependency.optional() || !(dependency.scope().equals("compile") || dependency.scope().equals("runtime"))
                        || !dependency.type().equals("jar") || !dependency.classifier().isEmpty()
                        || next.exclusions().contains(dependency.groupId() + ":" + dependency.artifactId())
                        || next.exclusions().contains(dependency.groupId() + ":*")) {
                    continue;
                }
                String key = dependency.groupId() + ":" + dependency.artifactId();
                if (!seen.add(key)) {
                    continue;
                }
                if (dependency.version().isEmpty() || dependency.version().contains("${")
                        || dependency.version().startsWith("[") || dependency.version().startsWith("(")) {
                    skipped.add(key + (dependency.version().isEmpty() ? " (no version)" : " (version " + dependency.version() + ")"));
                    continue;
                }
                Set<String> exclusions = new HashSet<>(next.exclusions());
                exclusions.addAll(dependency.exclusions());
                queue.add(new Pending(new Coordinates(dependency.groupId(), dependency.artifactId(), dependency.version()),
                        exclusions, next.depth() + 1));
            }
        }
        return new Resolution(jars, skipped);
    }

    private record Dependency(String groupId, String artifactId, String version, String scope, String type, String classifier,
                              boolean optional, Set<String> exclusions) {}

    private record Model(String packaging, Map<String, String> properties, Map<String, String> managedVersions,
                         List<Dependency> dependencies) {}

    /** The POM of {@code coordinates} with its parents' properties and dependency management applied. */
    private Model model(Coordinates coordinates, boolean root) throws MavenException {
        Model cached = models.get(coordinates.toString());
        if (cached != null) {
            return cached;
        }
        Element project = parse(artifact(coordinates, "pom", root), coordinates).getDocumentElement();
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> managed = new LinkedHashMap<>();
        Element parent = child(project, "parent");
        if (parent != null) {
            Coordinates parentCoordinates = new Coordinates(text(parent, "groupId"), text(parent, "artifactId"), text(parent, "version"));
            Model parentModel = model(parentCoordinates, false);
            properties.putAll(parentModel.properties());
            managed.putAll(parentModel.managedVersions());
        }
        String groupId = text(project, "groupId").isEmpty() && parent != null ? text(parent, "groupId") : text(project, "groupId");
        String version = text(project, "version").isEmpty() && parent != null ? text(parent, "version") : text(project, "version");
        Element ownProperties = child(project, "properties");
        if (ownProperties != null) {
            for (Element property : children(ownProperties)) {
                properties.put(property.getTagName(), property.getTextContent().strip());
            }
        }
        properties.put("project.groupId", groupId);
        properties.put("project.artifactId", text(project, "artifactId"));
        properties.put("project.version", version);
        properties.put("pom.version", version);
        properties.put("pom.groupId", groupId);
        if (parent != null) {
            properties.put("project.parent.version", text(parent, "version"));
            properties.put("project.parent.groupId", text(parent, "groupId"));
        }
        Element management = child(project, "dependencyManagement");
        if (management != null && child(management, "dependencies") != null) {
            for (Element dependency : children(child(management, "dependencies"))) {
                String g = interpolate(text(dependency, "groupId"), properties);
                String a = interpolate(text(dependency, "artifactId"), properties);
                String v = interpolate(text(dependency, "version"), properties);
                if (text(dependency, "scope").equals("import") && text(dependency, "type").equals("pom") && !v.contains("${")) {
                    managed.putAll(model(new Coordinates(g, a, v), false).managedVersions());
                } else if (!v.isEmpty()) {
                    managed.put(g + ":" + a, v);
                }
            }
        }
        List<Dependency> dependencies = new ArrayList<>();
        Element declared = child(project, "dependencies");
        if (declared != null) {
            for (Element dependency : children(declared)) {
                String g = interpolate(text(dependency, "groupId"), properties);
                String a = interpolate(text(dependency, "artifactId"), properties);
                String v = interpolate(text(dependency, "version"), properties);
                if (v.isEmpty()) {
                    v = managed.getOrDefault(g + ":" + a, "");
                }
                Set<String> exclusions = new HashSet<>();
                Element excluded = child(dependency, "exclusions");
                if (excluded != null) {
                    for (Element exclusion : children(excluded)) {
                        exclusions.add(text(exclusion, "groupId") + ":" + text(exclusion, "artifactId"));
                    }
                }
                String scope = text(dependency, "scope");
                String type = text(dependency, "type");
                dependencies.add(new Dependency(g, a, v, scope.isEmpty() ? "compile" : scope, type.isEmpty() ? "jar" : type,
                        text(dependency, "classifier"), text(dependency, "optional").equals("true"), exclusions));
            }
        }
        String packaging = text(project, "packaging");
        Model model = new Model(packaging.isEmpty() ? "jar" : packaging, properties, managed, dependencies);
        models.put(coordinates.toString(), model);
        return model;
    }

    private static String interpolate(String value, Map<String, String> properties) {
        String result = value;
        for (int round = 0; round < 10 && result.contains("${"); round++) {
            Matcher matcher = PROPERTY.matcher(result);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String replacement = properties.get(matcher.group(1));
                matcher.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? matcher.group() : replacement));
            }
            matcher.appendTail(out);
            if (out.toString().equals(result)) {
                break;
            }
            result = out.toString();
        }
        return result;
    }

    /** The file in the local repository, downloaded first when it is not there. */
    private Path artifact(Coordinates coordinates, String extension, boolean root) throws MavenException {
        Path target = local.resolve(coordinates.path(extension));
        if (Files.isRegularFile(target)) {
            return target;
        }
        URI uri = repository.resolve(coordinates.path(extension));
        String what = coordinates + (root ? "" : " (a dependency)");
        byte[] bytes = download(uri).orElseThrow(() -> new MavenException(extension.equals("pom")
                ? what + " is not in " + repository
                : what + " has no " + extension + " in " + repository));
        Optional<byte[]> sha1 = download(repository.resolve(coordinates.path(extension) + ".sha1"));
        if (sha1.isPresent()) {
            String expected = new String(sha1.get(), StandardCharsets.US_ASCII).strip().split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
            String actual = sha1(bytes);
            if (!expected.equals(actual)) {
                throw new MavenException(uri + " does not match its published SHA-1 (" + expected + ", got " + actual + ")");
            }
        }
        try {
            Files.createDirectories(target.getParent());
            Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            Files.write(part, bytes);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MavenException("cannot write " + target + ": " + e.getMessage());
        }
        return target;
    }

    /** The body of a 200 response; empty for 404; a one-line failure for anything else. */
    private Optional<byte[]> download(URI uri) throws MavenException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout.multipliedBy(4)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new MavenException(unreachable(e));
        } catch (IOException e) {
            throw new MavenException(unreachable(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MavenException("%maven was interrupted");
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new MavenException(uri + " answered HTTP " + response.statusCode());
        }
        return Optional.of(response.body());
    }

    private String unreachable(IOException e) {
        String reason = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return "%maven needs network access to " + repository + " and could not reach it (" + reason.replace('\n', ' ')
                + "); nothing was added. Offline, put the jars in a folder and use %classpath FOLDER/*";
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Document parse(Path pom, Coordinates coordinates) throws MavenException {
        try (InputStream in = Files.newInputStream(pom)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(in);
        } catch (IOException | ParserConfigurationException | SAXException e) {
            throw new MavenException("cannot read the POM of " + coordinates + " (" + pom + "): " + e.getMessage());
        }
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? "" : element.getTextContent().strip();
    }
}
