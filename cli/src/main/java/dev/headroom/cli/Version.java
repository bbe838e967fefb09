package dev.headroom.cli;

import picocli.CommandLine.IVersionProvider;

/** The version the build stamps into the jar's manifest (development builds say so). */
final class Version implements IVersionProvider {
    static String of() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"headroom " + of()};
    }
}
