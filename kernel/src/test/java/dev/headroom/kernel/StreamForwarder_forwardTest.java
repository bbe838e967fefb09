package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamForwarder_forwardTest {
    @Test
    void should_hold_back_an_incomplete_utf8_character_until_it_is_complete() {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        StreamForwarder forwarder = new StreamForwarder(new PrintStream(target, true, StandardCharsets.UTF_8));
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8); // 'a' + 3 bytes
        forwarder.write(euro, 0, 2);
        forwarder.forward();
        assertEquals("a", target.toString(StandardCharsets.UTF_8));
        forwarder.write(euro, 2, 2);
        forwarder.forward();
        assertEquals("a€", target.toString(StandardCharsets.UTF_8));
    }

    @Test
    void should_forward_nothing_until_asked() {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        StreamForwarder forwarder = new StreamForwarder(new PrintStream(target, true, StandardCharsets.UTF_8));
        forwarder.write('x');
        assertEquals(0, target.size());
        forwarder.flush();
        assertEquals("x", target.toString(StandardCharsets.UTF_8));
    }
}
