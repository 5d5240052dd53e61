-- Fix: a role changed without public.set_user_role (the service role updating profiles.role directly,
-- or someone in the SQL editor) left no row in role_changes, because the RPC wrote the audit row itself.
--
-- A trigger on profiles now writes the audit row for every role change, whatever the path, and the RPC
-- leaves that to it. changed_by is the person who made the change, null when no person did (no JWT
-- subject: the service role or the database owner); changed_by_role says which role acted.

-- =====================================================================================================
-- who acted
-- =====================================================================================================
create function private.acting_role() returns text
language sql stable set search_path = ''
as $$
  select coalesce(nullif((select auth.jwt()) ->> 'role', ''), session_user::text)
$$;
comment on function private.acting_role() is
  'The role the request runs as: the JWT role claim (authenticated, service_role), or the database login when there is no JWT (SQL editor, migrations).';
revoke execute on function private.acting_role() from public;
grant execute on function private.acting_role() to anon, authenticated, service_role;

-- =====================================================================================================
-- role_changes: rows without a person
-- =====================================================================================================
alter table public.role_changes alter column changed_by drop not null;
alter table public.role_changes add column changed_by_role text not null default 'authenticated'
  check (char_length(changed_by_role) between 1 and 63);
alter table public.role_changes alter column changed_by_role set default private.acting_role();

comment on column public.role_changes.changed_by is
  'The person who changed the role (an admin through set_user_role); null when no person did: the service role or the database owner.';
comment on column public.role_changes.changed_by_role is
  'The role that made the change: authenticated (a person, through set_user_role), service_role, or the database login.';

-- =====================================================================================================
-- every role change writes its audit row
-- =====================================================================================================
create function private.audit_role_change() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.role_changes (user_id, old_role, new_role, changed_by, changed_by_role)
  values (new.id, old.role, new.role, (select auth.uid()), private.acting_role());
  return null;
end
$$;
comment on function private.audit_role_change() is
  'Writes the role_changes row of a role change made by any path (RPC, service role, SQL), so the audit cannot be skipped.';
revoke execute on function private.audit_role_change() from public;

create trigger profiles_audit_role after update of role on public.profiles
  for each row when (old.role is distinct from new.role) execute function private.audit_role_change();

-- The RPC no longer writes the row itself (it would be written twice).
create or replace function private.set_user_role(p_user uuid, p_role public.app_role) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_old public.app_role;
begin
  if not private.is_admin() then
    raise exception '只有管理员可以设置角色' using errcode = '42501';
  end if;
  select p.role into v_old from public.profiles p where p.id = p_user for update;
  if v_old is null then
    raise exception '找不到这个用户' using errcode = 'P0002';
  end if;
  if v_old = p_role then
    return;
  end if;
  if v_old = 'admin' and not exists (
    select 1 from public.profiles p where p.role = 'admin' and p.id <> p_user
  ) then
    raise exception '至少需要保留一名管理员' using errcode = 'P0001';
  end if;
  update public.profiles set role = p_role where id = p_user; -- profiles_audit_role writes the audit row
end
$$;
comment on function private.set_user_role(uuid, public.app_role) is
  'Changes a person''s role (the profiles_audit_role trigger writes the audit row); only admins, and never the last admin away.';
