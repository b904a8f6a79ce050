-- Lines and robot seats as lists and task forms show them; written inline with their events.
create table if not exists line_list (
    tenant           text        not null,
    line_id          uuid        not null,
    name             text        not null,
    address          text        not null,
    transport        text        not null,
    max_channels     int         not null,
    channels_in_use  int         not null default 0,
    health           text        not null default 'unknown',
    username         text,
    active           boolean     not null default true,
    version          bigint      not null,
    created_at       timestamptz not null,
    primary key (tenant, line_id)
);

create table if not exists robot_list (
    tenant          text        not null,
    robot_id        uuid        not null,
    name            text        not null,
    script_id       uuid        not null,
    script_version  int         not null,
    voice           text        not null,
    capacity        int         not null,
    active          boolean     not null default true,
    version         bigint      not null,
    created_at      timestamptz not null,
    primary key (tenant, robot_id)
);

-- Inline read models added after their streams existed are filled once from history; a row
-- here says that happened.
create table if not exists inline_backfills (
    name        text        primary key,
    done_at     timestamptz not null default now()
);
