package dev.latchkey.common.message;

/**
 * A template that does not parse, names something that does not exist, or goes past a limit. Its message says what
 * and where in the engine's words, never a variable's value nor a Java class name.
 */
public class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message, null, false, false);
    }
}
