-- admin-service owns these tables; other services see their content only through the latchkey.config topic.

-- One row per application. "config" is the record published under client:<client_id> (JSON, snake_case, the
-- ClientConfig of latchkey-common), including the SHA-256 of the secret; the secret itself is never stored.
create table clients (
    client_id   varchar(64)  primary key,
    name        varchar(200) not null,
    auth_method varchar(32)  not null,
    config      text         not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    version     integer      not null default 0
);
create index clients_name on clients (lower(name), client_id);

-- One row per connection (sms, email). "config" is the record published under connection:<name> (ConnectionConfig),
-- provider secrets already encrypted with the platform key.
create table connections (
    name       varchar(64)  primary key,
    strategy   varchar(16)  not null,
    config     text         not null,
    created_at timestamptz  not null,
    updated_at timestamptz  not null,
    version    integer      not null default 0
);

-- Transactional outbox: written in the same transaction as the change, drained in id order to latchkey.config by
-- the relay, deleted once Kafka has acknowledged. A null payload is a tombstone.
create table config_outbox (
    id         bigserial   primary key,
    record_key text        not null,
    payload    text,
    created_at timestamptz not null default now()
);
