-- Which tenant and robot a dialled number belongs to: inbound routing reads it for every INVITE.
-- A number is unique across tenants (one carrier number reaches one place), so a second tenant
-- claiming it makes the assignment's append fail instead of silently stealing calls.
create table if not exists inbound_numbers (
    number               text        primary key,
    tenant               text        not null,
    robot_id             uuid        not null,
    line_id              uuid        not null,
    overflow_skill_group text,
    assigned_at          timestamptz not null
);
create index if not exists inbound_numbers_robot on inbound_numbers (tenant, robot_id);
