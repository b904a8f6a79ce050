-- Read model of the built-in "event-type-counts" projection: how many events of each type
-- every tenant's streams of each type hold. Analysts use it to see what the platform records.
create table if not exists es_event_type_counts (
    tenant_id     text        not null,
    stream_type   text        not null,
    event_type    text        not null,
    events        bigint      not null,
    first_at      timestamptz not null,
    last_at       timestamptz not null,
    last_position bigint      not null,
    primary key (tenant_id, stream_type, event_type)
);
