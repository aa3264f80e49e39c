/**
 * The signing key ring: its policy ({@link KeyRingPolicy}: what is missing, what is due, how the ring is completed and
 * rotated; pure), its key material, its rows in PostgreSQL and schedule ({@link SigningKeys}), signing
 * ({@link JwtSigner}) and checking the tokens presented to this service ({@link AccessTokenVerifier}).
 */
package dev.latchkey.token.keys;
