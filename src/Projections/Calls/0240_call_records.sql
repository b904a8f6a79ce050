-- Seed 001's unified call record, one row per call, plus task, agent, outcome and disposition.
-- Written by the call-records async projection (rebuildable from the call streams).
create table if not exists call_records (
    tenant            text        not null,
    call_id           uuid        not null,
    direction         text        not null,
    caller            text,
    called            text        not null,
    channel           text,
    state             text        not null,
    a_call_time       timestamptz,
    b_call_time       timestamptz,
    a_offhook_time    timestamptz,
    b_offhook_time    timestamptz,
    conn_time         timestamptz,
    close_time        timestamptz,
    duration          int         not null default 0,
    close_type        int,
    hangup_by         text,
    outcome           text,
    recording_url     text,
    biz_data          jsonb       not null default '{}',
    task_id           uuid,
    customer_id       uuid,
    attempt           int         not null default 0,
    agent_id          uuid,
    robot_id          uuid,
    disposition       text,
    disposition_note  text,
    created_at        timestamptz not null,
    version           bigint      not null,
    primary key (tenant, call_id)
);
create index if not exists call_records_created on call_records (tenant, created_at desc, call_id);
create index if not exists call_records_task on call_records (tenant, task_id, created_at desc);
create index if not exists call_records_agent on call_records (tenant, agent_id, created_at desc);
