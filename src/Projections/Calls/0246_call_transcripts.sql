-- What the agent who takes a call over reads: every robot turn in order (prompts, barge-ins,
-- the caller's words with their intents, keys, variables, the hand-over) and the variables
-- as they stood last. Written inline with the call's events, so the transcript is complete
-- the moment the robot's transfer request is appended.
create table if not exists call_transcripts (
    tenant          text        not null,
    call_id         uuid        not null,
    robot_id        uuid,
    skill_group     text,
    transfer_reason text,
    variables       jsonb       not null default '{}'::jsonb,
    version         bigint      not null,
    primary key (tenant, call_id)
);

create table if not exists call_transcript_lines (
    tenant            text             not null,
    call_id           uuid             not null,
    version           bigint           not null,
    at                timestamptz      not null,
    speaker           text             not null,
    kind              text             not null,
    node_id           text,
    text              text,
    intent            text,
    confidence        double precision,
    speech_started_at timestamptz,
    speech_ended_at   timestamptz,
    primary key (tenant, call_id, version)
);
