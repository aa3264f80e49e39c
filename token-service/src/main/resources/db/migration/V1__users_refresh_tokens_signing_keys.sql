-- token-service owns these tables; no other service reads them (admin-service uses the internal API).

-- One row per person per connection. user_id is Auth0-shaped: '<strategy>|<24 hex>'.
CREATE TABLE users (
    user_id        varchar(64)  PRIMARY KEY,
    connection     varchar(128) NOT NULL,
    strategy       varchar(16)  NOT NULL CHECK (strategy IN ('sms', 'email')),
    identifier     varchar(320) NOT NULL, -- the normalised phone number (E.164) or email
    phone_verified boolean      NOT NULL DEFAULT false,
    email_verified boolean      NOT NULL DEFAULT false,
    blocked        boolean      NOT NULL DEFAULT false,
    logins_count   integer      NOT NULL DEFAULT 0,
    last_login     timestamptz,
    created_at     timestamptz  NOT NULL,
    updated_at     timestamptz  NOT NULL,
    CONSTRAINT users_connection_identifier UNIQUE (connection, identifier)
);
CREATE INDEX users_identifier ON users (identifier varchar_pattern_ops);
CREATE INDEX users_blocked ON users (blocked) WHERE blocked;

-- Opaque refresh tokens, stored as SHA-256. Each use rotates: the used row gets rotated_at, a new row joins the
-- same family. Presenting a rotated token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id         uuid         PRIMARY KEY,
    family_id  uuid         NOT NULL,
    token_hash varchar(64)  NOT NULL UNIQUE,
    user_id    varchar(64)  NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    client_id  varchar(128) NOT NULL,
    scope      text         NOT NULL,
    audience   text,
    created_at timestamptz  NOT NULL,
    expires_at timestamptz  NOT NULL, -- absolute: the family's first issue + the client's absolute lifetime
    rotated_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Signing keys. 'next' is published in the JWKS but does not sign yet; 'current' signs; 'previous' no longer signs
-- but stays published until expires_at (every token it signed has expired by then); 'retired' is gone from the
-- JWKS and has no private part left. A ring belongs to one platform key (ring = a fingerprint of it): keys sealed
-- under another platform key could not be opened, so a process with another key keeps a ring of its own.
CREATE TABLE signing_keys (
    kid             varchar(64) PRIMARY KEY,
    ring            varchar(32) NOT NULL,
    alg             varchar(8)  NOT NULL CHECK (alg IN ('RS256', 'ES256')),
    state           varchar(8)  NOT NULL CHECK (state IN ('next', 'current', 'previous', 'retired')),
    public_key      text        NOT NULL, -- X.509 SubjectPublicKeyInfo, base64
    private_key_enc text,                 -- PKCS#8, sealed with the platform key (context 'signing-key:<kid>')
    created_at      timestamptz NOT NULL,
    activated_at    timestamptz,
    retired_at      timestamptz,
    expires_at      timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (ring, alg) WHERE state = 'current';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (ring, alg) WHERE state = 'next';
CREATE INDEX signing_keys_ring ON signing_keys (ring, state);
