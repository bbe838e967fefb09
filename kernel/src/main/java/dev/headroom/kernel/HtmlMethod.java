package dev.headroom.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * HTML for any object with a public no-argument {@code String toHtml()} method. This is how
 * Headroom's result types get rich output without implementing a kernel interface.
 */
final class HtmlMethod {
    private HtmlMethod() {}

    static Optional<String> render(Object value) {
        Method method;
        try {
            method = value.getClass().getMethod("toHtml");
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
        if (method.getReturnType() != String.class || Modifier.isStatic(method.getModifiers())) {
            return Optional.empty();
        }
        if (!method.canAccess(value) && !method.trySetAccessible()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((String) method.invoke(value));
        } catch (IllegalAccessException e) {
            return Optional.empty();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(value.getClass().getName() + ".toHtml() failed: " + cause, cause);
        }
    }
}
