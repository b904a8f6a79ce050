-- The dialer reads the event store itself (never a lagging projection: a customer dialed a
-- moment ago must already count), so its look-ups get partial expression indexes instead of
-- scanning es_events by type and JSON field.

-- Hosts apply the event store's schema first; a database that holds only the messaging tables
-- (the scheduler's own tests) has no es_events to index.
do $$
begin
    if to_regclass('es_events') is null then
        return;
    end if;
    -- A task's attempts (call.outbound_created) and its sealed batches, by task.
    execute $sql$create index if not exists es_events_dialer_by_task on es_events (tenant_id, (data->>'taskId'), seq_id) where type in ('call.outbound_created.v1', 'customer_batch.sealed.v1', 'dialing_contact.redial_scheduled.v1', 'dialing_contact.redial_due.v1', 'dialing_contact.dial_refused.v1')$sql$;

    -- The compliance gate's history of one callee across the tenant.
    execute $sql$create index if not exists es_events_dialer_by_called on es_events (tenant_id, (data->>'called')) where type = 'call.outbound_created.v1'$sql$;

    -- Caller-number usage (caps, even spread) and the failure-feedback pool, by time.
    execute $sql$create index if not exists es_events_dialer_dialing_by_time on es_events (tenant_id, timestamp) where type = 'call.dialing_started.v1'$sql$;

    execute $sql$create index if not exists es_events_dialer_hung_up_by_time on es_events (tenant_id, timestamp) where type = 'call.hung_up.v1'$sql$;

    -- Agents' wrap-up ends, newest first per tenant: the dialer learns its task's wrap-up times.
    execute $sql$create index if not exists es_events_dialer_wrap_ups on es_events (tenant_id, seq_id) where type = 'agent.after_call_work_ended.v1'$sql$;

    -- Which tasks run: the newest lifecycle event per task stream.
    execute $sql$create index if not exists es_events_task_lifecycle on es_events (tenant_id, stream_id, seq_id) where type in ('task.started.v1', 'task.paused.v1', 'task.resumed.v1', 'task.completed.v1', 'task.cancelled.v1')$sql$;
end
$$;
