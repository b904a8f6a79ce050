-- Scripts as the list shows them; written inline with the script's events, so an upload is
-- listed the moment POST returns. The documents themselves stay in the events.
create table if not exists script_list (
    tenant          text        not null,
    script_id       uuid        not null,
    key             text        not null,
    name            text        not null,
    language        text        not null,
    latest_version  int         not null default 0,
    version         bigint      not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    primary key (tenant, script_id)
);
create index if not exists script_list_name on script_list (tenant, lower(name), script_id);
