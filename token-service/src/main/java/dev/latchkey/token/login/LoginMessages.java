package dev.latchkey.token.login;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words of the hosted login page, per language. Chosen from {@code ui_locales} (OIDC, space-separated, in order
 * of preference), then {@code Accept-Language}, then the first configured language.
 */
public final class LoginMessages {

    private static final Map<String, Map<String, String>> TEXT = Map.of(
            "en", Map.ofEntries(
                    Map.entry("title", "Sign in to {app}"),
                    Map.entry("phoneLabel", "Phone number"),
                    Map.entry("countryLabel", "Country"),
                    Map.entry("emailLabel", "Email address"),
                    Map.entry("sendCode", "Send me a code"),
                    Map.entry("codeSentSms", "We sent a code by text message to {to}."),
                    Map.entry("codeSentEmail", "We sent a code by email to {to}."),
                    Map.entry("codeLabel", "Verification code"),
                    Map.entry("verify", "Continue"),
                    Map.entry("resend", "Send a new code"),
                    Map.entry("resendIn", "You can ask for a new code in {s} s."),
                    Map.entry("change", "Use another address"),
                    Map.entry("useSms", "Use a phone number instead"),
                    Map.entry("useEmail", "Use an email address instead"),
                    Map.entry("errWrongCode", "That code is not right. Check it and try again."),
                    Map.entry("errExpired", "That code has expired. Ask for a new one."),
                    Map.entry("errAttempts", "Too many wrong codes. Ask for a new code."),
                    Map.entry("errLocked", "Too many wrong codes for this address. Try again later."),
                    Map.entry("errRate", "Too many requests. Wait {s} seconds and try again."),
                    Map.entry("errPhone", "That phone number does not look right. Include the area code."),
                    Map.entry("errEmail", "That email address does not look right."),
                    Map.entry("errBlocked", "This account is blocked."),
                    Map.entry("errSend", "We could not send the code. Try again in a moment."),
                    Map.entry("errNetwork", "We could not reach the server. Check your connection and try again."),
                    Map.entry("errGeneric", "Something went wrong. Try again."),
                    Map.entry("errOrigin",
                            "This page may not send codes for this application (its address is not among the application's allowed origins). Tell the site's administrator."),
                    Map.entry("working", "Please wait…")),
            "fr", Map.ofEntries(
                    Map.entry("title", "Connexion à {app}"),
                    Map.entry("phoneLabel", "Numéro de téléphone"),
                    Map.entry("countryLabel", "Pays"),
                    Map.entry("emailLabel", "Adresse e-mail"),
                    Map.entry("sendCode", "Recevoir un code"),
                    Map.entry("codeSentSms", "Nous avons envoyé un code par SMS au {to}."),
                    Map.entry("codeSentEmail", "Nous avons envoyé un code par e-mail à {to}."),
                    Map.entry("codeLabel", "Code de vérification"),
                    Map.entry("verify", "Continuer"),
                    Map.entry("resend", "Envoyer un nouveau code"),
                    Map.entry("resendIn", "Vous pourrez demander un nouveau code dans {s} s."),
                    Map.entry("change", "Utiliser une autre adresse"),
                    Map.entry("useSms", "Utiliser plutôt un numéro de téléphone"),
                    Map.entry("useEmail", "Utiliser plutôt une adresse e-mail"),
                    Map.entry("errWrongCode", "Ce code n'est pas le bon. Vérifiez-le et réessayez."),
                    Map.entry("errExpired", "Ce code a expiré. Demandez-en un nouveau."),
                    Map.entry("errAttempts", "Trop de codes erronés. Demandez un nouveau code."),
                    Map.entry("errLocked", "Trop de codes erronés pour cette adresse. Réessayez plus tard."),
                    Map.entry("errRate", "Trop de demandes. Attendez {s} secondes puis réessayez."),
                    Map.entry("errPhone", "Ce numéro ne semble pas correct. Indiquez l'indicatif."),
                    Map.entry("errEmail", "Cette adresse e-mail ne semble pas correcte."),
                    Map.entry("errBlocked", "Ce compte est bloqué."),
                    Map.entry("errSend", "Le code n'a pas pu être envoyé. Réessayez dans un instant."),
                    Map.entry("errNetwork", "Le serveur est injoignable. Vérifiez votre connexion et réessayez."),
                    Map.entry("errGeneric", "Une erreur s'est produite. Réessayez."),
                    Map.entry("errOrigin",
                            "Cette page ne peut pas envoyer de codes pour cette application (son adresse n'est pas parmi ses origines autorisées). Prévenez l'administrateur du site."),
                    Map.entry("working", "Un instant…")),
            "de", Map.ofEntries(
                    Map.entry("title", "Bei {app} anmelden"),
                    Map.entry("phoneLabel", "Telefonnummer"),
                    Map.entry("countryLabel", "Land"),
                    Map.entry("emailLabel", "E-Mail-Adresse"),
                    Map.entry("sendCode", "Code senden"),
                    Map.entry("codeSentSms", "Wir haben einen Code per SMS an {to} gesendet."),
                    Map.entry("codeSentEmail", "Wir haben einen Code per E-Mail an {to} gesendet."),
                    Map.entry("codeLabel", "Bestätigungscode"),
                    Map.entry("verify", "Weiter"),
                    Map.entry("resend", "Neuen Code senden"),
                    Map.entry("resendIn", "Einen neuen Code können Sie in {s} s anfordern."),
                    Map.entry("change", "Andere Adresse verwenden"),
                    Map.entry("useSms", "Stattdessen Telefonnummer verwenden"),
                    Map.entry("useEmail", "Stattdessen E-Mail-Adresse verwenden"),
                    Map.entry("errWrongCode", "Dieser Code stimmt nicht. Bitte prüfen und erneut versuchen."),
                    Map.entry("errExpired", "Dieser Code ist abgelaufen. Fordern Sie einen neuen an."),
                    Map.entry("errAttempts", "Zu viele falsche Codes. Fordern Sie einen neuen Code an."),
                    Map.entry("errLocked", "Zu viele falsche Codes für diese Adresse. Versuchen Sie es später."),
                    Map.entry("errRate", "Zu viele Anfragen. Warten Sie {s} Sekunden und versuchen Sie es erneut."),
                    Map.entry("errPhone", "Diese Telefonnummer scheint falsch zu sein. Mit Vorwahl eingeben."),
                    Map.entry("errEmail", "Diese E-Mail-Adresse scheint falsch zu sein."),
                    Map.entry("errBlocked", "Dieses Konto ist gesperrt."),
                    Map.entry("errSend", "Der Code konnte nicht gesendet werden. Versuchen Sie es gleich erneut."),
                    Map.entry("errNetwork", "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung."),
                    Map.entry("errGeneric", "Etwas ist schiefgegangen. Bitte erneut versuchen."),
                    Map.entry("errOrigin",
                            "Diese Seite darf für diese Anwendung keine Codes senden (ihre Adresse ist nicht unter den erlaubten Origins). Bitte den Betreiber der Website informieren."),
                    Map.entry("working", "Bitte warten…")),
            "es", Map.ofEntries(
                    Map.entry("title", "Iniciar sesión en {app}"),
                    Map.entry("phoneLabel", "Número de teléfono"),
                    Map.entry("countryLabel", "País"),
                    Map.entry("emailLabel", "Correo electrónico"),
                    Map.entry("sendCode", "Enviarme un código"),
                    Map.entry("codeSentSms", "Enviamos un código por SMS al {to}."),
                    Map.entry("codeSentEmail", "Enviamos un código por correo a {to}."),
                    Map.entry("codeLabel", "Código de verificación"),
                    Map.entry("verify", "Continuar"),
                    Map.entry("resend", "Enviar un código nuevo"),
                    Map.entry("resendIn", "Podrá pedir un código nuevo en {s} s."),
                    Map.entry("change", "Usar otra dirección"),
                    Map.entry("useSms", "Usar un número de teléfono"),
                    Map.entry("useEmail", "Usar un correo electrónico"),
                    Map.entry("errWrongCode", "Ese código no es correcto. Compruébelo e inténtelo de nuevo."),
                    Map.entry("errExpired", "Ese código ha caducado. Pida uno nuevo."),
                    Map.entry("errAttempts", "Demasiados códigos incorrectos. Pida un código nuevo."),
                    Map.entry("errLocked", "Demasiados códigos incorrectos para esta dirección. Inténtelo más tarde."),
                    Map.entry("errRate", "Demasiadas solicitudes. Espere {s} segundos e inténtelo de nuevo."),
                    Map.entry("errPhone", "Ese número no parece correcto. Incluya el prefijo."),
                    Map.entry("errEmail", "Ese correo electrónico no parece correcto."),
                    Map.entry("errBlocked", "Esta cuenta está bloqueada."),
                    Map.entry("errSend", "No pudimos enviar el código. Inténtelo de nuevo en un momento."),
                    Map.entry("errNetwork", "No se pudo contactar con el servidor. Compruebe su conexión."),
                    Map.entry("errGeneric", "Algo salió mal. Inténtelo de nuevo."),
                    Map.entry("errOrigin",
                            "Esta página no puede enviar códigos para esta aplicación (su dirección no está entre sus orígenes permitidos). Avise al administrador del sitio."),
                    Map.entry("working", "Un momento…")));

    private LoginMessages() {
    }

    /** The language tag to use among {@code supported}, from ui_locales first, then Accept-Language. */
    public static String language(String uiLocales, String acceptLanguage, List<String> supported) {
        List<String> usable = supported.stream().filter(TEXT::containsKey).toList();
        if (usable.isEmpty()) {
            return "en";
        }
        if (uiLocales != null) {
            for (String tag : uiLocales.trim().split("\\s+")) {
                String lang = primary(tag);
                if (usable.contains(lang)) {
                    return lang;
                }
            }
        }
        if (acceptLanguage != null && !acceptLanguage.isBlank()) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    String lang = primary(range.getRange());
                    if (range.getWeight() > 0 && usable.contains(lang)) {
                        return lang;
                    }
                }
            } catch (IllegalArgumentException e) {
                // A malformed header is ignored: the fallback language below.
            }
        }
        return usable.getFirst();
    }

    /** The region of the first tag that names one (fr-CA → CA), to preselect the country of the phone picker. */
    public static String region(String uiLocales, String acceptLanguage) {
        String all = (uiLocales == null ? "" : uiLocales.replace(' ', ',')) + ","
                + (acceptLanguage == null ? "" : acceptLanguage);
        for (String part : all.split(",")) {
            String tag = part.split(";")[0].trim();
            String[] bits = tag.split("[-_]");
            if (bits.length >= 2 && bits[bits.length - 1].matches("[A-Za-z]{2}")) {
                return bits[bits.length - 1].toUpperCase(Locale.ROOT);
            }
        }
        return null;
    }

    public static Map<String, String> of(String language) {
        return TEXT.getOrDefault(language, TEXT.get("en"));
    }

    private static String primary(String tag) {
        return tag.split("[-_]")[0].toLowerCase(Locale.ROOT);
    }
}
