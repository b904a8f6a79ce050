-- Tasks as lists and dashboards read them; written inline with the task's events.
create table if not exists task_list (
    tenant          text        not null,
    task_id         uuid        not null,
    name            text        not null,
    state           text        not null,
    version         bigint      not null,
    customer_count  int         not null default 0,
    batch_count     int         not null default 0,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    primary key (tenant, task_id)
);
create index if not exists task_list_created on task_list (tenant, created_at desc);

-- Every number a task has accepted, so a later upload's duplicates are found and not dialed twice.
create table if not exists task_phone_numbers (
    tenant          text        not null,
    task_id         uuid        not null,
    e164            text        not null,
    batch_id        uuid        not null,
    customer_id     uuid        not null,
    primary key (tenant, task_id, e164)
);
