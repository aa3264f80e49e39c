package dev.latchkey.delivery.service;

/**
 * How many SMS segments a body needs. A body made only of GSM 03.38 characters is sent in the 7-bit alphabet: 160
 * septets in one segment, 153 per segment once split (the rest carries the concatenation header), and the extension
 * characters take two septets each. Anything else goes as UCS-2: 70 UTF-16 units alone, 67 per segment once split.
 */
public final class SmsSegments {

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "\f^{}\\[~]|€";

    private SmsSegments() {
    }

    public static int count(String body) {
        if (body == null || body.isEmpty()) {
            return 1;
        }
        int septets = gsmSeptets(body);
        if (septets >= 0) {
            return septets <= 160 ? 1 : ceilDiv(septets, 153);
        }
        int units = body.length();
        return units <= 70 ? 1 : ceilDiv(units, 67);
    }

    /** Whether the body can travel in the GSM 7-bit alphabet. */
    public static boolean isGsm7(String body) {
        return gsmSeptets(body) >= 0;
    }

    /** Septets the body needs in the GSM 7-bit alphabet, or -1 when a character is not in it. */
    private static int gsmSeptets(String body) {
        int septets = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets++;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                return -1;
            }
        }
        return septets;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
