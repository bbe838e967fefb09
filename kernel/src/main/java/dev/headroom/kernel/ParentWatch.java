package dev.headroom.kernel;

/** Exits the kernel when the Jupyter process that started it is gone, so no kernel outlives its server. */
final class ParentWatch {
    private ParentWatch() {}

    static void exitWhenGone(String parentPid) {
        if (parentPid == null || parentPid.isBlank()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(parentPid.strip());
        } catch (NumberFormatException e) {
            return;
        }
        if (pid <= 1) {
            return;
        }
        // A parent we cannot see (another PID namespace) is not watched rather than taken for dead.
        ProcessHandle.of(pid).ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
    }
}
