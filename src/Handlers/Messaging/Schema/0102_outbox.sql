-- Transactional outbox (ADR 0003). Rows are written in the caller's transaction and delivered
-- at least once by the relay; delivered rows keep delivered_at for the status view and are
-- purged later. visible_at doubles as the lease end of an in-flight delivery.
create table if not exists outbox_messages (
    position      bigint      generated always as identity primary key,
    id            uuid        not null unique,
    tenant        text        not null,
    destination   text        not null,
    ordering_key  text        null,
    payload       text        not null,
    headers       jsonb       not null default '{}'::jsonb,
    visible_at    timestamptz not null,
    attempts      integer     not null default 0,
    claim_token   uuid        null,
    claimed_by    text        null,
    last_error    text        null,
    created_at    timestamptz not null default now(),
    delivered_at  timestamptz null
);

-- The relay scans pending messages in write order (ordering keys depend on it).
create index if not exists outbox_messages_pending
    on outbox_messages (position) where delivered_at is null;

-- Lets the relay find an earlier undelivered message with the same ordering key quickly.
create index if not exists outbox_messages_pending_by_key
    on outbox_messages (ordering_key, position) where delivered_at is null and ordering_key is not null;

create index if not exists outbox_messages_delivered
    on outbox_messages (delivered_at) where delivered_at is not null;

create table if not exists outbox_dead_letters (
    id            uuid        primary key,
    tenant        text        not null,
    destination   text        not null,
    ordering_key  text        null,
    payload       text        not null,
    headers       jsonb       not null,
    attempts      integer     not null,
    last_error    text        not null,
    dead_at       timestamptz not null,
    created_at    timestamptz not null
);
