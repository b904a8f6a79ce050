-- Responses to POSTs that carried an Idempotency-Key, replayed when the client retries.
create table if not exists api_idempotency (
    tenant          text        not null,
    key             text        not null,
    request_hash    text        not null,
    status_code     int,
    content_type    text,
    location        text,
    etag            text,
    body            bytea,
    created_at      timestamptz not null,
    completed_at    timestamptz,
    primary key (tenant, key)
);
create index if not exists api_idempotency_created on api_idempotency (created_at);
