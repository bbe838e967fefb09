package dev.headroom.core.base;

/** Where a catalog entry's numbers come from and when someone last checked them. */
public record Provenance(String source, String verified) {
    public static Provenance userFile(String path) {
        return new Provenance("file:" + path, "user supplied");
    }
}
