-- Event store tables, shaped like Marten's mt_streams / mt_events so that a Marten user
-- recognises them. Idempotent: every host runs this at start-up under the migration lock.

create table if not exists es_streams (
    tenant_id   text        not null,
    id          text        not null,
    type        text        not null,
    version     bigint      not null,
    created     timestamptz not null default now(),
    updated     timestamptz not null default now(),
    is_archived boolean     not null default false,
    primary key (tenant_id, id)
);

-- Hot listings (live streams of a type) skip archived streams without touching them.
create index if not exists es_streams_live_by_type on es_streams (tenant_id, type) where not is_archived;

-- cache 1 matters: the daemon's gap rule relies on nextval handing out numbers in time order
-- across sessions (a per-session cache would let a later transaction take a lower number).
create sequence if not exists es_events_seq as bigint cache 1;

create table if not exists es_events (
    seq_id      bigint      not null default nextval('es_events_seq') primary key,
    id          uuid        not null,
    tenant_id   text        not null,
    stream_id   text        not null,
    stream_type text        not null,
    version     bigint      not null,
    type        text        not null,
    data        jsonb       not null,
    metadata    jsonb,
    timestamp   timestamptz not null default now(),
    is_archived boolean     not null default false,
    constraint es_events_id_unique unique (id),
    constraint es_events_stream_version_unique unique (tenant_id, stream_id, version)
);

alter sequence es_events_seq owned by es_events.seq_id;

-- Optional snapshots for long streams: the newest one per stream is enough.
create table if not exists es_snapshots (
    tenant_id  text        not null,
    stream_id  text        not null,
    version    bigint      not null,
    type       text        not null,
    data       jsonb       not null,
    created    timestamptz not null default now(),
    primary key (tenant_id, stream_id)
);

-- One row per async projection: the checkpoint is updated in the same transaction as the
-- read-model change, so a crash can never separate the two.
create table if not exists es_projection_checkpoints (
    name          text        primary key,
    position      bigint      not null default 0,
    owner         text,
    updated       timestamptz not null default now(),
    last_error    text,
    last_error_at timestamptz
);

-- The highest sequence number below which every number is either committed or proven dead.
-- Persisted so that a restarted process does not have to prove old gaps dead again.
create table if not exists es_high_water_mark (
    id       int         primary key default 1 check (id = 1),
    position bigint      not null default 0,
    updated  timestamptz not null default now()
);
insert into es_high_water_mark (id, position) values (1, 0) on conflict do nothing;

-- Appends one stream's events atomically in a single round trip. The stream row is written
-- first: that assigns the transaction its xid before nextval hands out a sequence number,
-- which the daemon's dead-gap proof depends on (docs/adr/0002). A version mismatch is
-- returned (conflict = true, version = actual) instead of raised, so a caller's transaction
-- is not aborted by it.
create or replace function es_append(
    p_tenant text, p_stream text, p_stream_type text, p_expected bigint,
    p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb, p_notify boolean)
returns table (version bigint, seqs bigint[], ts timestamptz, conflict boolean, archived boolean)
language plpgsql as $$
#variable_conflict use_column
declare
    v_count    int := cardinality(p_ids);
    v_version  bigint;
    v_archived boolean;
    v_seqs     bigint[];
begin
    if p_expected = 0 then
        insert into es_streams as s (tenant_id, id, type, version)
        values (p_tenant, p_stream, p_stream_type, v_count)
        on conflict do nothing
        returning s.version into v_version;
        if v_version is null then
            select s.version, s.is_archived into v_version, v_archived
            from es_streams s where s.tenant_id = p_tenant and s.id = p_stream;
            return query select coalesce(v_version, 0), null::bigint[], null::timestamptz, true, coalesce(v_archived, false);
            return;
        end if;
    elsif p_expected > 0 then
        update es_streams s set version = s.version + v_count, updated = now()
        where s.tenant_id = p_tenant and s.id = p_stream and s.version = p_expected and not s.is_archived
        returning s.version into v_version;
        if v_version is null then
            select s.version, s.is_archived into v_version, v_archived
            from es_streams s where s.tenant_id = p_tenant and s.id = p_stream;
            return query select coalesce(v_version, 0), null::bigint[], null::timestamptz, true, coalesce(v_archived, false);
            return;
        end if;
    else
        insert into es_streams as s (tenant_id, id, type, version)
        values (p_tenant, p_stream, p_stream_type, v_count)
        on conflict (tenant_id, id) do update
            set version = s.version + v_count, updated = now()
            where not s.is_archived
        returning s.version into v_version;
        if v_version is null then
            select s.version into v_version from es_streams s where s.tenant_id = p_tenant and s.id = p_stream;
            return query select v_version, null::bigint[], null::timestamptz, true, true;
            return;
        end if;
    end if;

    with inserted as (
        insert into es_events (id, tenant_id, stream_id, stream_type, version, type, data, metadata)
        select u.id, p_tenant, p_stream, p_stream_type, v_version - v_count + u.ord, u.type, u.data, p_metadata
        from unnest(p_ids, p_types, p_data) with ordinality as u(id, type, data, ord)
        order by u.ord
        returning es_events.seq_id, es_events.version
    )
    select array_agg(i.seq_id order by i.version) into v_seqs from inserted i;

    if p_notify then
        perform pg_notify('aicc_events', '');
    end if;

    return query select v_version, v_seqs, now(), false, false;
end;
$$;
