-- Fix: two admins demoting each other at the same moment could leave no admin at all. Each call locked
-- only the row it changed, so each saw the other still an admin, and both committed. A direct UPDATE or
-- DELETE by the service role was not checked at all.
--
-- Role changes now take one transaction-level advisory lock, the same for all of them, before they look
-- at anyone's role: set_user_role at its start (before it locks any row, so two calls cannot deadlock on
-- each other's rows), and a trigger on every change that takes an admin away (role changed from admin,
-- or the profile deleted, by any path), which then looks for another admin. The second of two such
-- changes waits for the first to commit and then sees its result: a demoted caller is no longer an admin
-- (只有管理员可以设置角色), and the last admin is kept (至少需要保留一名管理员, P0001).

-- =====================================================================================================
-- the guard
-- =====================================================================================================
create function private.lock_role_changes() returns void
language sql volatile set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('public.profiles: role changes'))
$$;
comment on function private.lock_role_changes() is
  'Waits for, then holds until commit, the one lock every role change takes, so role changes happen one after another.';
revoke execute on function private.lock_role_changes() from public; -- called by security definer functions only

create function private.keep_an_admin() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.role = 'admin' then
    return new;
  end if;
  perform private.lock_role_changes();
  -- A new snapshot after the lock (read committed): an admin removed by a commit we waited for is gone.
  if not exists (select 1 from public.profiles p where p.role = 'admin' and p.id <> old.id) then
    raise exception '至少需要保留一名管理员' using errcode = 'P0001';
  end if;
  return case tg_op when 'DELETE' then old else new end;
end
$$;
comment on function private.keep_an_admin() is
  'Refuses to take away the last admin (role change or delete, by any path); serialised by an advisory lock so two concurrent removals cannot both pass.';
revoke execute on function private.keep_an_admin() from public;

create trigger profiles_keep_an_admin before update of role or delete on public.profiles
  for each row when (old.role = 'admin') execute function private.keep_an_admin();

-- =====================================================================================================
-- set_user_role leaves the check to the trigger
-- =====================================================================================================
create or replace function private.set_user_role(p_user uuid, p_role public.app_role) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_old public.app_role;
begin
  -- First the lock, then every check: a change that committed while we waited is seen by them all.
  perform private.lock_role_changes();
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
  -- profiles_keep_an_admin refuses to remove the last admin; profiles_audit_role writes the audit row.
  update public.profiles set role = p_role where id = p_user;
end
$$;
comment on function private.set_user_role(uuid, public.app_role) is
  'Changes a person''s role; only admins. Takes the role-change lock first; the profiles triggers keep at least one admin and write the audit row.';
