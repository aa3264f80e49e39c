package dev.latchkey.common.message;

import java.util.Optional;

/**
 * How a template's text is read, as Auth0's connection {@code options.syntax} names it: {@code liquid} (Liquid, with
 * {@code @@password@@} standing for {@code {{ password }}}), or {@code md_with_macros} (the text as it is, with only
 * the {@code @@password@@} macro replaced by the code).
 */
public enum TemplateSyntax {

    LIQUID("liquid"), MD_WITH_MACROS("md_with_macros");

    /** The legacy placeholder for the code, understood in both syntaxes. */
    public static final String PASSWORD_MACRO = "@@password@@";

    private final String wire;

    TemplateSyntax(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The syntax a word names; absent (null) is Liquid, Auth0's default. */
    public static Optional<TemplateSyntax> of(String wire) {
        if (wire == null) {
            return Optional.of(LIQUID);
        }
        for (TemplateSyntax s : values()) {
            if (s.wire.equals(wire)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
