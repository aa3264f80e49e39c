/**
 * {@code POST /oauth/token}, one class per grant ({@link TokenGrant}, found by {@link GrantDispatcher}), and what the
 * grants share: client authentication, one-time code verification, refresh tokens, the APIs tokens are for, and the
 * token set a grant yields ({@link TokenSetIssuer}). A new grant is a new {@link TokenGrant} bean.
 */
package dev.latchkey.token.grant;
