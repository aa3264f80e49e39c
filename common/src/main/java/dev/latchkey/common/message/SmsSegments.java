package dev.latchkey.common.message;

/**
 * How many SMS segments a body needs, as carriers split it. A body made only of GSM 03.38 characters travels in the
 * 7-bit alphabet: 160 septets in one message, 153 per segment once split (the rest carries the concatenation header);
 * an extension character takes two septets (escape + character), which are never split across segments. Anything
 * else travels as UCS-2: 70 UTF-16 units in one message, 67 per segment once split, a surrogate pair (an emoji, say)
 * never split across segments either.
 */
public final class SmsSegments {

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "\f^{}\\[~]|€";

    private static final int GSM_SINGLE = 160;
    private static final int GSM_PART = 153;
    private static final int UCS2_SINGLE = 70;
    private static final int UCS2_PART = 67;

    private SmsSegments() {
    }

    /** Segments of {@code body}; an empty body still is one message. */
    public static int count(String body) {
        if (body == null || body.isEmpty()) {
            return 1;
        }
        boolean gsm = isGsm7(body);
        int single = gsm ? GSM_SINGLE : UCS2_SINGLE;
        int part = gsm ? GSM_PART : UCS2_PART;
        int total = 0;
        for (int i = 0; i < body.length(); i = body.offsetByCodePoints(i, 1)) {
            total += units(body.codePointAt(i), gsm);
        }
        if (total <= single) {
            return 1;
        }
        int segments = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i = body.offsetByCodePoints(i, 1)) {
            int u = units(body.codePointAt(i), gsm);
            if (used + u > part) {
                segments++;
                used = 0;
            }
            used += u;
        }
        return segments;
    }

    /** Whether the body can travel in the GSM 7-bit alphabet (basic and extension tables). */
    public static boolean isGsm7(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (GSM_BASIC.indexOf(c) < 0 && GSM_EXTENSION.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Septets (GSM-7) or UTF-16 units (UCS-2) one character takes. */
    private static int units(int codePoint, boolean gsm) {
        if (gsm) {
            return GSM_EXTENSION.indexOf(codePoint) >= 0 ? 2 : 1;
        }
        return Character.charCount(codePoint);
    }
}
