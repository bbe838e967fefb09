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
 * @param fullTrace every frame of {@code thrown} and its causes (what {@code %trace} shows); the
 *                  traceback when nothing was thrown
 */
record CellFailure(String ename, String evalue, List<String> traceback, Throwable thrown, List<String> fullTrace) {
    CellFailure {
        traceback = List.copyOf(traceback);
        fullTrace = List.copyOf(fullTrace);
    }

    CellFailure(String ename, String evalue, List<String> traceback, Throwable thrown) {
        this(ename, evalue, traceback, thrown, traceback);
    }

    static CellFailure of(String ename, String evalue, List<String> traceback) {
        return new CellFailure(ename, evalue, traceback, null);
    }
}
