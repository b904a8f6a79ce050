-- Task progress: customers per task and where each stands, from task and call events (async).
create table if not exists task_progress (
    tenant          text        not null,
    task_id         uuid        not null,
    total           int         not null default 0,
    retry_policy    text        not null,
    primary key (tenant, task_id)
);

-- One row per call of a task: its customer, attempt and how it ended.
create table if not exists task_progress_calls (
    tenant          text        not null,
    call_id         uuid        not null,
    task_id         uuid        not null,
    customer_id     uuid,
    created_at      timestamptz not null,
    status          text        not null,
    outcome         text,
    primary key (tenant, call_id)
);
create index if not exists task_progress_calls_task on task_progress_calls (tenant, task_id);

-- Where each customer stands after their latest call: dialing, answered, failed (will retry) or exhausted.
create table if not exists task_progress_customers (
    tenant          text        not null,
    task_id         uuid        not null,
    customer_id     uuid        not null,
    status          text        not null,
    last_call_id    uuid        not null,
    last_created_at timestamptz not null,
    primary key (tenant, task_id, customer_id)
);

-- Live statistics per tenant (task_id = nil uuid) and per task, per minute.
create table if not exists live_stats (
    tenant            text        not null,
    task_id           uuid        not null,
    minute            timestamptz not null,
    placed            int         not null default 0,
    answered          int         not null default 0,
    abandoned         int         not null default 0,
    handled           int         not null default 0,
    handle_seconds    double precision not null default 0,
    busy_seconds      double precision not null default 0,
    idle_seconds      double precision not null default 0,
    primary key (tenant, task_id, minute)
);

-- Each agent's presence as the statistics last saw it, to split time into per-minute occupancy.
create table if not exists live_agent_presence (
    tenant          text        not null,
    agent_id        uuid        not null,
    state           text        not null,
    since           timestamptz not null,
    primary key (tenant, agent_id)
);
