-- Calls the automatic call distributor holds, one row per call from queueing until the agent's
-- wrap-up ends. The row is the per-call claim of the node carrying the call (node, lease_until),
-- the FIFO order across nodes (queued_at) and what the agent's pop-up shows (variables, context).
create table if not exists acd_calls (
    tenant       text        not null,
    call_id      uuid        not null,
    skill_group  text        not null,
    queued_at    timestamptz not null,
    node         text        not null,
    lease_until  timestamptz not null,
    state        text        not null,
    agent_id     uuid,
    caller       text        not null,
    task_id      uuid,
    variables    jsonb       not null default '{}',
    context      text,
    primary key (tenant, call_id)
);
create index if not exists acd_calls_waiting on acd_calls (tenant, skill_group, queued_at, call_id) where state = 'waiting';
create index if not exists acd_calls_agent on acd_calls (tenant, agent_id) where agent_id is not null;
