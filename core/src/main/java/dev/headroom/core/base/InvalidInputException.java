package dev.headroom.core.base;

import java.util.List;

/**
 * A user mistake: an unknown name, an impossible setting, a malformed file. The message is written
 * for the user and names the field, the value given and the valid choices; callers print it as is,
 * never with a stack trace.
 *
 * <p>{@link #field()} is the core's name for what was wrong ("batch", "tp", "max_model_len"); a boundary
 * (the CLI, the DSL) that names things differently rewrites the message with {@link #renamed}.
 */
public final class InvalidInputException extends IllegalArgumentException {
    /** Long lists (160 models) are cut to the nearest names: the message stays one readable line. */
    private static final int MAX_LISTED = 12;

    private final String field;
    /** A size too large to count exactly: the caller may add which of its inputs multiplied to it. */
    private final boolean tooLarge;

    public InvalidInputException(String message) {
        this(null, message, false);
    }

    private InvalidInputException(String field, String message, boolean tooLarge) {
        super(message);
        this.field = field;
        this.tooLarge = tooLarge;
    }

    /** A quantity that would not fit a {@code long} (or an {@code int} count): "{what} is too large to count exactly ({expression})". */
    public static InvalidInputException tooLarge(String what, String expression) {
        return new InvalidInputException(null, what + " is too large to count exactly (" + expression
                + "); check the sizes given", true);
    }

    /** Whether this is a size too large to count exactly rather than a value out of its range. */
    public boolean isTooLarge() {
        return tooLarge;
    }

    /** The same mistake with the caller's inputs named after it: "...; check the sizes given (--batch 10, ...)". */
    public InvalidInputException withContext(String context) {
        return new InvalidInputException(field, getMessage() + " (" + context + ")", tooLarge);
    }

    /** The core's name of the field at fault, or null when the message is about no single field. */
    public String field() {
        return field;
    }

    /** "unknown GPU 'h100' — known: h100-sxm, h100-pcie, ..." with the nearest names first. */
    public static InvalidInputException unknown(String what, String given, Iterable<String> known) {
        List<String> names = Names.nearestFirst(given, known);
        String listed = names.size() <= MAX_LISTED ? String.join(", ", names)
                : String.join(", ", names.subList(0, MAX_LISTED)) + ", ... (" + (names.size() - MAX_LISTED) + " more)";
        return new InvalidInputException(what, "unknown " + what + " '" + given + "' — known: " + listed, false);
    }

    /** "{field} = {given} is invalid: {valid}". */
    public static InvalidInputException field(String field, Object given, String valid) {
        return new InvalidInputException(field, field + " = " + given + " is invalid: " + valid, false);
    }

    /** A required value that was not given. */
    public static InvalidInputException missing(String field, String hint) {
        return new InvalidInputException(field, field + " is required: " + hint, false);
    }

    /** The same mistake with the field named as the caller names it ("batch" -> "--batch"). */
    public InvalidInputException renamed(String callerName) {
        if (field == null || callerName == null || callerName.equals(field)) {
            return this;
        }
        String message = getMessage();
        String rewritten = message.startsWith(field + " ") ? callerName + message.substring(field.length()) : message;
        return new InvalidInputException(field, rewritten, tooLarge);
    }
}
