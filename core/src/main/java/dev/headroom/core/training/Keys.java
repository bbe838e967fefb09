package dev.headroom.core.training;

import dev.headroom.core.base.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Parses the user's word for one of a closed set of choices; a wrong word names the field and every valid one. */
final class Keys {
    private Keys() {}

    static <E extends Enum<E>> E parse(E[] values, Function<E, String> key, String text, String field) {
        if (text == null || text.isBlank()) {
            throw InvalidInputException.missing(field, "give one of " + String.join(", ", keys(values, key)));
        }
        String typed = text.trim().toLowerCase(Locale.ROOT);
        for (E v : values) {
            if (key.apply(v).equals(typed)) {
                return v;
            }
        }
        throw InvalidInputException.unknown(field, text, keys(values, key));
    }

    static <E extends Enum<E>> List<String> keys(E[] values, Function<E, String> key) {
        return Arrays.stream(values).map(key).toList();
    }
}
