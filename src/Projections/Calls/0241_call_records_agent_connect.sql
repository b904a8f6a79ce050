-- When the first agent took the call over. After a robot-to-agent hand-over conn_time and
-- duration count from the robot's answer (the seat that answered first); this keeps the agent's
-- moment. Filled by the call-records projection; a rebuild fills it for older calls.
alter table call_records add column if not exists agent_connect_time timestamptz;
