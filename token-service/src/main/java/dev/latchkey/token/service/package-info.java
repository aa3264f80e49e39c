/**
 * What every feature of token-service shares, and nothing else: refusals in Auth0's words ({@link AuthError}), grant
 * type and scope names, the flattened parameters of a form or JSON request. Depends on no other package of the
 * service.
 */
package dev.latchkey.token.service;
