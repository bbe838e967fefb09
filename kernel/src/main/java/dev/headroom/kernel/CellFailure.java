package dev.headroom.kernel;

import java.util.List;

/**
 * Why a cell (or a startup snippet) failed, in the terms a Jupyter error reply uses.
 *
 * @param ename     short error name: {@code CompilationError}, {@code UnresolvedReference},
 *                  {@code Interrupted}, {@code IncompleteInput}, or the thrown exception's simple class name
 * @param evalue    one-line message
 * @param traceback readable lines (no line breaks inside a line)
 * @param thrown    the exception user code threw, when there was one; otherwise null
 */
record CellFailure(String ename, String evalue, List<String> traceback, Throwable thrown) {
    CellFailure {
        traceback = List.copyOf(traceback);
    }

    static CellFailure of(String ename, String evalue, List<String> traceback) {
        return new CellFailure(ename, evalue, traceback, null);
    }
}
