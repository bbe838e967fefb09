package dev.headroom.kernel;

import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishDisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishStream;
import io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData;

/** A cell's output as iopub messages whose parent is its execute_request. */
final class RequestSink implements CellSink {
    private final ShellReplyEnvironment env;

    RequestSink(ShellReplyEnvironment env) {
        this.env = env;
    }

    @Override
    public void stream(boolean stderr, String text) {
        env.publish(new PublishStream(stderr ? PublishStream.StreamType.ERR : PublishStream.StreamType.OUT, text));
    }

    @Override
    public void display(DisplayData data) {
        env.publish(new PublishDisplayData(data));
    }

    @Override
    public void updateDisplay(DisplayData data) {
        env.publish(new PublishUpdateDisplayData(data));
    }
}
