-- What a hosted Supabase database already has and this project relies on.
-- Applied by the local backend before any migration; never part of supabase/migrations.
-- Idempotent, because roles are cluster-wide on a real PostgreSQL server.

-- Roles, memberships and role settings are cluster-wide: on a PostgreSQL server several databases (test
-- files run two at a time) may bootstrap at once, and two sessions changing the same catalog row fail
-- with "tuple concurrently updated" (XX000) or a duplicate (23505). Each change is made only when it is
-- missing, and a concurrent session that made it first is as good as done.
--
-- Hosted Supabase bounds the work of one API request by the role's statement timeout. Role settings do
-- not apply to `set local role`, so /rest/v1 reads them from pg_db_role_setting with the schema cache
-- and sets them per transaction, as PostgREST does. PGlite ignores statement_timeout (it cannot
-- interrupt a running statement); only a real PostgreSQL server cuts a query off.
do $$
declare
  v_role text;
  v_sql text;
begin
  foreach v_sql in array array[
    'create role anon nologin noinherit',
    'create role authenticated nologin noinherit',
    'create role service_role nologin noinherit bypassrls'
  ] loop
    v_role := split_part(v_sql, ' ', 3);
    if not exists (select 1 from pg_roles where rolname = v_role) then
      begin
        execute v_sql;
      exception when duplicate_object or unique_violation or internal_error then null;
      end;
    end if;
  end loop;
  foreach v_role in array array['anon', 'authenticated', 'service_role'] loop
    if not pg_has_role(current_user, v_role, 'member') then
      begin
        execute format('grant %I to current_user', v_role);
      exception when unique_violation or internal_error then null;
      end;
    end if;
  end loop;
  foreach v_sql in array array['anon=3s', 'authenticated=8s'] loop
    v_role := split_part(v_sql, '=', 1);
    if not exists (
      select 1 from pg_db_role_setting s
       where s.setrole = v_role::regrole and s.setdatabase = 0
         and ('statement_timeout=' || split_part(v_sql, '=', 2)) = any (s.setconfig)
    ) then
      begin
        execute format('alter role %I set statement_timeout = %L', v_role, split_part(v_sql, '=', 2));
      exception when unique_violation or internal_error then null;
      end;
    end if;
  end loop;
end
$$;

-- auth: the helpers policies call. Claims come from the verified JWT, set per request.
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;

-- storage: the schema Supabase Storage keeps its rows in; bucket policies are written against it. The
-- columns and helpers follow supabase/storage's tenant migrations (0002 schema, 0003 path_tokens, 0013/0014
-- file_size_limit in bytes and allowed_mime_types, 0016 version, 0018 owner_id, 0025 user_metadata,
-- 0036/0061 immutable path helpers, 0055 deletes only through the Storage API). The local /storage/v1
-- (supabase/local/storage) writes these rows under the caller's role, so policies apply as in production.
create schema if not exists storage;
grant usage on schema storage to anon, authenticated, service_role;

create table if not exists storage.buckets (
  id text primary key,
  name text not null unique,
  owner uuid,
  public boolean not null default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table storage.buckets add column if not exists owner_id text;

create table if not exists storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text not null,
  owner uuid,
  metadata jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_accessed_at timestamptz not null default now(),
  unique (bucket_id, name)
);
alter table storage.objects add column if not exists owner_id text;
alter table storage.objects add column if not exists version text;
alter table storage.objects add column if not exists user_metadata jsonb;
alter table storage.objects add column if not exists path_tokens text[] generated always as (string_to_array(name, '/')) stored;
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);
alter table storage.objects enable row level security;
alter table storage.buckets enable row level security;
grant all on storage.objects, storage.buckets to anon, authenticated, service_role;

create or replace function storage.foldername(name text) returns text[]
language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1 : array_length(_parts, 1) - 1];
end
$$;

create or replace function storage.filename(name text) returns text
language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$;

create or replace function storage.extension(name text) returns text
language plpgsql immutable
as $$
declare
  _parts text[];
  _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$$;

grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text) to anon, authenticated, service_role;

-- Rows leave storage.objects only through the Storage API (which sets storage.allow_delete_query for
-- its own transaction), so a stray `delete` cannot orphan files.
create or replace function storage.protect_delete() returns trigger
language plpgsql
as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') != 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end
$$;
drop trigger if exists protect_buckets_delete on storage.buckets;
create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();
drop trigger if exists protect_objects_delete on storage.objects;
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();

-- extensions: Supabase installs extensions into their own schema.
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;

-- public: Supabase's default privileges. Every new table, function and sequence is granted to the API
-- roles; row-level security and explicit revokes are what protect data.
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;

-- The Supabase CLI's migration history table.
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  name text,
  statements text[]
);
