/** Users: created by their first login on a connection, blocked and deleted through the internal API; their claims. */
package dev.latchkey.token.user;
