package dev.headroom.core;

/**
 * A user mistake: an unknown name, an impossible setting, a malformed file. The message is written
 * for the user and names the field, the value given and the valid choices; callers print it as is,
 * never with a stack trace.
 */
public final class InvalidInputException extends IllegalArgumentException {
    public InvalidInputException(String message) {
        super(message);
    }

    /** "unknown GPU 'h100' — known: h100-sxm, h100-pcie, ..." with the nearest names first. */
    public static InvalidInputException unknown(String what, String given, Iterable<String> known) {
        return new InvalidInputException(
                "unknown " + what + " '" + given + "' — known: " + String.join(", ", Names.nearestFirst(given, known)));
    }

    public static InvalidInputException field(String field, Object given, String valid) {
        return new InvalidInputException(field + " = " + given + " is invalid: " + valid);
    }
}
