-- Who may call the API: credentials projected from employee events, plus login sessions.
-- Secrets are stored only as hashes (PBKDF2 for passwords, SHA-256 for API keys and tokens).
create table if not exists access_employees (
    tenant          text        not null,
    employee_id     text        not null,
    login           text        not null,
    display_name    text        not null,
    roles           text[]      not null,
    password_hash   text,
    active          boolean     not null default true,
    updated_at      timestamptz not null default now(),
    primary key (tenant, employee_id)
);
create unique index if not exists access_employees_login on access_employees (tenant, lower(login));

create table if not exists access_api_keys (
    key_hash        text        primary key,
    key_id          text        not null unique,
    tenant          text        not null,
    employee_id     text        not null,
    label           text        not null default '',
    created_at      timestamptz not null,
    revoked_at      timestamptz
);
create index if not exists access_api_keys_employee on access_api_keys (tenant, employee_id);

create table if not exists access_sessions (
    token_hash      text        primary key,
    tenant          text        not null,
    employee_id     text        not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null
);
create index if not exists access_sessions_expiry on access_sessions (expires_at);

-- Whether a tenant may use its credentials (a platform operator suspends and activates).
-- A tenant without a row is active: tenants created before this table never were suspended.
create table if not exists access_tenants (
    tenant          text        primary key,
    suspended       boolean     not null default false,
    reason          text,
    updated_at      timestamptz not null
);
