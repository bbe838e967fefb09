package dev.headroom.kernel;

import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Hands JShell the one {@link InProcessExecutionControl} the evaluator keeps a reference to. */
final class InProcessControlProvider implements ExecutionControlProvider {
    private final InProcessExecutionControl control;

    InProcessControlProvider(InProcessExecutionControl control) {
        this.control = control;
    }

    @Override
    public String name() {
        return "headroom-in-process";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return control;
    }
}
