-- Agent seats' SIP accounts as the platform's registrar looks them up: by Digest realm (the
-- tenant's SIP domain) and username, giving the HA1s. Written inline with the agent's events so
-- a new password works at the phone's next REGISTER.
create table if not exists agent_sip_accounts (
    realm       text not null,
    username    text not null,
    tenant      text not null,
    agent_id    uuid not null,
    ha1_md5     text not null,
    ha1_sha256  text not null,
    primary key (realm, username)
);
create unique index if not exists agent_sip_accounts_agent on agent_sip_accounts (tenant, agent_id);
