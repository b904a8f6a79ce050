-- The agents' SIP digest credentials as kamailio's auth_db reads them (username, domain, ha1),
-- written inline with the agent's events so a softphone can register the moment its seat has
-- credentials. Usernames are the seats' ids, unique across tenants.
create table if not exists sip_subscribers (
    username    text        not null primary key,
    domain      text        not null,
    ha1         text        not null,
    tenant      text        not null,
    agent_id    uuid        not null,
    version     bigint      not null
);
create index if not exists sip_subscribers_agent on sip_subscribers (tenant, agent_id);
