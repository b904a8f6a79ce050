-- The floor as supervisors watch it: one row per call with where it stands now (dialing,
-- waiting for an agent, in progress, ended), its task and skill group; the wallboard sums it
-- per task and per skill group over a window. Written by the floor async projection.
create table if not exists floor_calls (
    tenant          text        not null,
    call_id         uuid        not null,
    task_id         uuid,
    skill_group     text,
    status          text        not null,
    waiting_since   timestamptz,
    created_at      timestamptz not null,
    answered_at     timestamptz,
    connected_at    timestamptz,
    ended_at        timestamptz,
    outcome         text,
    handle_seconds  double precision,
    agent_id        uuid,
    primary key (tenant, call_id)
);
create index if not exists floor_calls_created on floor_calls (tenant, created_at);
create index if not exists floor_calls_open on floor_calls (tenant, created_at) where status <> 'ended';

-- What the wallboard and the agent console need of a task: its name, the abandon cap it must
-- keep, the skill group its calls go to, and the dispositions an agent may record.
create table if not exists floor_tasks (
    tenant          text        not null,
    task_id         uuid        not null,
    name            text        not null,
    abandon_cap     double precision not null,
    skill_group     text,
    dispositions    text[]      not null default '{}',
    primary key (tenant, task_id)
);

-- Wallboards wait for read models to move instead of polling them: every checkpoint move
-- notifies (delivered at commit, payload = projection name), so a server-sent-events stream
-- re-reads only when there is something new.
create or replace function aicc_notify_projection_moved() returns trigger language plpgsql as $$
begin
    if new.position is distinct from old.position then
        perform pg_notify('aicc_projection_moved', new.name);
    end if;
    return new;
end
$$;
create or replace trigger es_projection_checkpoints_moved after update of position on es_projection_checkpoints
    for each row execute function aicc_notify_projection_moved();

-- Each agent's latest wrap-up: which call and until when, for the console's countdown.
create table if not exists floor_agent_wrapup (
    tenant          text        not null,
    agent_id        uuid        not null,
    call_id         uuid        not null,
    until           timestamptz not null,
    primary key (tenant, agent_id)
);
