package dev.headroom.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.ArrayList;
import java.util.List;

/** Collects what a cell sends, in order, as the frontend would see it. */
final class RecordingSink implements CellSink {
    /** One message: stdout, stderr, display or update, with its text (text/plain for displays) and display id. */
    record Event(String kind, String text, String displayId, DisplayData data) {}

    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void stream(boolean stderr, String text) {
        events.add(new Event(stderr ? "stderr" : "stdout", text, null, null));
    }

    @Override
    public synchronized void display(DisplayData data) {
        events.add(new Event("display", String.valueOf(data.getData(MIMEType.TEXT_PLAIN)), data.getDisplayId(), data));
    }

    @Override
    public synchronized void updateDisplay(DisplayData data) {
        events.add(new Event("update", String.valueOf(data.getData(MIMEType.TEXT_PLAIN)), data.getDisplayId(), data));
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized void clear() {
        events.clear();
    }

    /** Everything streamed to stdout (or stderr), joined. */
    synchronized String text(String kind) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.kind().equals(kind)).forEach(e -> text.append(e.text()));
        return text.toString();
    }
}
