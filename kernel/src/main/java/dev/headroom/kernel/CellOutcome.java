package dev.headroom.kernel;

/** What evaluating a cell gave: the value of its last expression, nothing to show, or a failure. */
sealed interface CellOutcome {
    /** The last snippet was an expression; {@code value} may be null. */
    record Value(Object value) implements CellOutcome {}

    /** The last snippet was a declaration, statement or import. */
    record NoValue() implements CellOutcome {}

    record Failed(CellFailure failure) implements CellOutcome {}
}
