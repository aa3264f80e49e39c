package dev.latchkey.admin.service;

/**
 * How many SMS segments a text needs: GSM-7 when every character is in the GSM 03.38 alphabet (160 per single
 * message, 153 per part; extension characters count twice), otherwise UCS-2 (70, 67 per part, in UTF-16 units).
 */
public final class SmsSegments {

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION = "^{}\\[~]|€\f";

    private SmsSegments() {
    }

    public static boolean gsm7(String text) {
        return text.chars().allMatch(c -> BASIC.indexOf(c) >= 0 || EXTENSION.indexOf(c) >= 0);
    }

    public static int count(String text) {
        if (text == null || text.isEmpty()) {
            return 1;
        }
        if (gsm7(text)) {
            int septets = text.chars().map(c -> EXTENSION.indexOf(c) >= 0 ? 2 : 1).sum();
            return septets <= 160 ? 1 : (septets + 152) / 153;
        }
        int units = text.length();
        return units <= 70 ? 1 : (units + 66) / 67;
    }
}
