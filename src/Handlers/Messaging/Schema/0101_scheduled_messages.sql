-- Durable scheduled messages (ADR 0003). One row per pending message; a row leaves the table
-- in the same transaction as its handler's effects, so a completed message cannot run again.
-- visible_at is both the due time and, once claimed, the end of the claim's lease: a claim
-- whose worker died becomes visible again when the lease runs out.
create table if not exists scheduled_messages (
    id            uuid        primary key,
    tenant        text        not null,
    message_type  text        not null,
    payload       jsonb       not null,
    due_at        timestamptz not null,
    dedupe_key    text        null,
    visible_at    timestamptz not null,
    attempts      integer     not null default 0,
    claim_token   uuid        null,
    claimed_by    text        null,
    last_error    text        null,
    created_at    timestamptz not null default now()
);

create index if not exists scheduled_messages_visible_at on scheduled_messages (visible_at);

-- Earliest pending message of a type: decides whether a schedule must wake sleeping workers.
create index if not exists scheduled_messages_type_visible_at on scheduled_messages (message_type, visible_at);

-- A dedupe key names one pending message per tenant (e.g. "ring-timeout:<call>"), so that a
-- retried command does not schedule twice and a cancel can find the message by name.
create unique index if not exists scheduled_messages_dedupe_key
    on scheduled_messages (tenant, dedupe_key) where dedupe_key is not null;

-- Messages that failed max-attempts times, with the last error, until an operator replays them.
create table if not exists scheduled_message_dead_letters (
    id             uuid        primary key,
    tenant         text        not null,
    message_type   text        not null,
    payload        jsonb       not null,
    due_at         timestamptz not null,
    dedupe_key     text        null,
    attempts       integer     not null,
    last_error     text        not null,
    dead_at        timestamptz not null,
    created_at     timestamptz not null
);

create index if not exists scheduled_message_dead_letters_tenant on scheduled_message_dead_letters (tenant, dead_at);
