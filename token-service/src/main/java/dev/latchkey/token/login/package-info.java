/**
 * The browser's side: {@code /authorize} and the hosted login page ({@link AuthorizeRequests}, {@link LoginMessages}),
 * the passwordless links and checks ({@link PasswordlessVerification}), cross-origin authentication
 * ({@link CrossOriginLogins}). Every authorization request passes the same {@link AuthorizationRules} and ends in
 * {@link Authorizations} (a code or tokens at the registered redirect_uri).
 */
package dev.latchkey.token.login;
