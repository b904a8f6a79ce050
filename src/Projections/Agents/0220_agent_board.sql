-- The agent board: every seat's presence and since when, written inline with the agent's events
-- so a state change is on the board the moment the command returns.
create table if not exists agent_board (
    tenant          text        not null,
    agent_id        uuid        not null,
    employee_id     uuid        not null,
    display_name    text        not null,
    skill_groups    text[]      not null,
    state           text        not null,
    reason          text,
    forced_by       uuid,
    call_id         uuid,
    since           timestamptz not null,
    removed         boolean     not null default false,
    version         bigint      not null,
    primary key (tenant, agent_id)
);
create index if not exists agent_board_state on agent_board (tenant, state) where not removed;
