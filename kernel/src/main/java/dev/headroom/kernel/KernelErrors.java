package dev.headroom.kernel;

/**
 * Exceptions the kernel throws to basekernel for a failed cell. basekernel names a Jupyter error
 * after the exception's simple class name, so each class is named as the user should read it.
 */
final class KernelErrors {
    private KernelErrors() {}

    /** Base: carries the failure whose traceback the kernel reports. */
    abstract static class CellError extends Exception {
        private final transient CellFailure failure;

        CellError(CellFailure failure) {
            super(failure.evalue(), null, false, false);
            this.failure = failure;
        }

        CellFailure failure() {
            return failure;
        }
    }

    static final class CompilationError extends CellError {
        CompilationError(CellFailure failure) {
            super(failure);
        }
    }

    static final class UnresolvedReference extends CellError {
        UnresolvedReference(CellFailure failure) {
            super(failure);
        }
    }

    static final class Interrupted extends CellError {
        Interrupted(CellFailure failure) {
            super(failure);
        }
    }

    static final class IncompleteInput extends CellError {
        IncompleteInput(CellFailure failure) {
            super(failure);
        }
    }

    /** Cell code threw something that is not an {@link Exception} (an {@link Error} such as StackOverflowError). */
    static final class ThrownError extends CellError {
        ThrownError(CellFailure failure) {
            super(failure);
        }
    }

    /** The value could not be rendered (its toString or toHtml threw). */
    static final class RenderError extends CellError {
        RenderError(CellFailure failure) {
            super(failure);
        }
    }

    /**
     * The exception to throw for {@code failure}: the user's own exception object when cell code
     * threw one (so the error is named e.g. IllegalArgumentException), else one of the classes above.
     */
    static Exception toException(CellFailure failure) {
        if (failure.thrown() instanceof Exception exception) {
            return exception;
        }
        if (failure.thrown() != null) {
            return new ThrownError(failure);
        }
        return switch (failure.ename()) {
            case CompileErrors.ENAME -> new CompilationError(failure);
            case "UnresolvedReference" -> new UnresolvedReference(failure);
            case "Interrupted" -> new Interrupted(failure);
            case "IncompleteInput" -> new IncompleteInput(failure);
            case "RenderError" -> new RenderError(failure);
            default -> new ThrownError(failure);
        };
    }
}
