package dev.latchkey.token.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The hosted login page ({@code GET /authorize}) and the demo app under {@code /demo} (prefix {@code latchkey.login}). */
@ConfigMapping(prefix = "latchkey.login")
public interface LoginConfig {

    /**
     * How long the page keeps "send again" disabled after a code was sent; keep it equal to otp-service's
     * {@code latchkey.otp.rate-limit.recipient.min-interval} (a 429 with {@code Retry-After} wins anyway).
     */
    @WithDefault("30s")
    Duration resendInterval();

    /** Languages the page speaks, first is the fallback when neither ui_locales nor accept-language matches. */
    @WithDefault("en,fr,de,es")
    List<String> languages();

    /** Tenant name Lock is told in {@code /client/{client_id}.js} (Auth0's tenant; Lock shows nothing of it). */
    @WithDefault("latchkey")
    String tenant();

    /**
     * Country {@code /user/geoloc/country} answers (Lock's default for the phone number) when the browser's
     * {@code Accept-Language} names no region: there is no geo-IP database here.
     */
    @WithDefault("US")
    String defaultCountry();

    /** Client id the demo regular web app under {@code /demo} logs in as (a public client: PKCE, no secret). */
    @WithDefault("demo-app")
    String demoClientId();

    /** Whether {@code /demo} is served at all (turn it off in production). */
    @WithDefault("true")
    boolean demoEnabled();
}
