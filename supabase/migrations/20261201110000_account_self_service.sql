-- Account self-service (PIPL): a person edits their profile (the onboarding save, again), withdraws the
-- consent they gave to the privacy notice (art. 15) and deletes their account (注销账号, art. 47; also a
-- WeChat mini-program requirement).
--
-- Deleting an account deletes the profile row. Everything personal references profiles `on delete
-- cascade` and goes with it in the same statement: WeChat identity (so the next sign-in with that WeChat
-- account creates a brand-new, empty account), phone number, bookmarks, notifications, subscription
-- quotas. What must be kept as evidence (the consent history: what was agreed and withdrawn, and when;
-- the role audit) stays, under the person's id only: those tables no longer reference profiles, so the
-- cascade cannot reach them. A deleted account's id is recorded with the time of deletion and nothing
-- else. A token issued before the deletion is left with nothing to act on: no profile to read or update,
-- and every table that holds a person's rows references a profile that no longer exists.
--
-- Messages for people (the convention, also in src/services/errors.ts and README.md): a function a
-- person can reach raises with a message in Simplified Chinese that *begins with a Chinese character*
-- (the app shows such a message as written, whatever the SQLSTATE), an errcode that classifies it for
-- behaviour (42501 not allowed, 22023 / 23514 invalid input, P0002 not found, P0001 a rule of the domain
-- said no), and optionally a hint with a stable English tag code can test (e.g. 'last_admin'). Messages
-- in English are for logs and are never shown; PostgreSQL's own messages are English and begin with a
-- Latin letter or a quote, even when they quote Chinese input.

-- =====================================================================================================
-- consent history: withdrawals are rows too
-- =====================================================================================================
alter table public.consents add column withdrawn boolean not null default false;
comment on column public.consents.withdrawn is
  'True for a withdrawal (撤回同意) of consent to this purpose; accepted_at is then when it was withdrawn. Written only by public.withdraw_privacy_consent(): clients may insert (purpose, version) alone, so they can record an acceptance but never a withdrawal.';

-- The history outlives the account it belongs to (evidence of what was agreed): no foreign key, so
-- deleting the profile cannot cascade to it.
alter table public.consents drop constraint consents_user_id_fkey;
comment on column public.consents.user_id is
  'The person, by id only. Not a foreign key: the rows are kept when the account is deleted (private.account_deletions has when).';

create function private.consent_needs_account() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  -- (A missing user_id is left to the not-null constraint, which names the column.)
  if new.user_id is not null and not exists (select 1 from public.profiles p where p.id = new.user_id) then
    raise exception '账号已注销，请重新登录' using errcode = '42501', hint = 'account_deleted';
  end if;
  return new;
end
$$;
comment on function private.consent_needs_account() is
  'What the dropped foreign key did on insert: consent is given by a person who has an account, never by a token left over from a deleted one.';
revoke execute on function private.consent_needs_account() from public;

create trigger consents_need_account before insert on public.consents
  for each row execute function private.consent_needs_account();
comment on trigger consents_need_account on public.consents is
  'Refuses consent rows for an account that does not exist (deleted), in place of the dropped foreign key.';

create or replace function private.apply_privacy_consent() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.purpose = 'privacy_notice' then
    update public.profiles
       set privacy_version = case when new.withdrawn then null else new.version end,
           privacy_accepted_at = case when new.withdrawn then null else new.accepted_at end
     where id = new.user_id;
  end if;
  return new;
end
$$;
comment on function private.apply_privacy_consent() is
  'Keeps profiles.privacy_version in step with the consent history (set by an acceptance, cleared by a withdrawal); clients cannot write those columns.';

-- =====================================================================================================
-- role audit: kept when either person's account is deleted
-- =====================================================================================================
alter table public.role_changes
  drop constraint role_changes_user_id_fkey,
  drop constraint role_changes_changed_by_fkey;
comment on column public.role_changes.user_id is
  'Whose role changed, by id only: not a foreign key, so the audit row is kept when the account is deleted.';
comment on column public.role_changes.changed_by is 'The admin who changed it, by id only (kept when that account is deleted).';

-- =====================================================================================================
-- deleted accounts
-- =====================================================================================================
create table private.account_deletions (
  user_id uuid primary key,
  deleted_at timestamptz not null default now()
);
comment on table private.account_deletions is
  'Accounts their owner deleted (注销账号): the id and when, nothing else. Evidence that the request was carried out, and what the consent history and role audit rows kept under that id belong to. Append-only; never exposed through the API.';
revoke all on private.account_deletions from public, anon, authenticated, service_role;
grant select on private.account_deletions to service_role;

-- =====================================================================================================
-- editing the profile after onboarding
-- =====================================================================================================
comment on function public.complete_onboarding(text, text, text, date, text) is
  'Saves the profile (姓名, 所属街道, …): the onboarding form''s save, and 编辑资料''s afterwards. Marks the person onboarded the first time; refuses until the privacy notice is accepted.';

-- =====================================================================================================
-- withdrawing consent (撤回同意)
-- =====================================================================================================
create function private.withdraw_privacy_consent() returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  v_version text;
  v_accepted timestamptz;
begin
  if v_user is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select p.privacy_version, p.privacy_accepted_at into v_version, v_accepted
    from public.profiles p where p.id = v_user for update;
  if not found then
    raise exception '账号已注销，请重新登录' using errcode = 'P0002', hint = 'account_deleted';
  end if;
  if v_accepted is null then
    return; -- nothing to withdraw (a second tap): no second history row
  end if;
  -- The history row; its trigger clears privacy_version and privacy_accepted_at.
  insert into public.consents (user_id, purpose, version, withdrawn)
  values (v_user, 'privacy_notice', coalesce(v_version, 'unknown'), true);
  -- What was collected on the basis of that consent: the profile form and the phone number. The account
  -- itself (WeChat sign-in, role, bookmarks, messages) rests on using the service, not on this consent.
  update public.profiles
     set display_name = '微信用户', district = null, former_employer = null, displaced_on = null,
         startup_intention = null, onboarded_at = null
   where id = v_user;
  delete from public.profile_contacts c where c.user_id = v_user;
end
$$;
comment on function private.withdraw_privacy_consent() is
  'Records the withdrawal in the consent history and erases what was collected under that consent (profile fields, phone number), so onboarding asks again. Only ever for the caller.';
revoke execute on function private.withdraw_privacy_consent() from public;
grant execute on function private.withdraw_privacy_consent() to authenticated;

create function public.withdraw_privacy_consent() returns public.profiles
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  perform private.withdraw_privacy_consent();
  select * into v_profile from public.profiles p where p.id = (select auth.uid());
  return v_profile;
end
$$;
comment on function public.withdraw_privacy_consent() is
  '撤回同意 of the privacy notice, for the caller (no argument names anyone else): returns the profile as it is now, emptied. Doing it twice records one withdrawal.';
revoke execute on function public.withdraw_privacy_consent() from public, anon;

-- =====================================================================================================
-- deleting one's account (注销账号)
-- =====================================================================================================
create function private.delete_my_account() returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  v_role public.app_role;
begin
  if v_user is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select p.role into v_role from public.profiles p where p.id = v_user for update;
  if v_role is null then
    return; -- already deleted (a second tap waits for the first, then finds nothing): nothing to erase
  end if;
  if v_role = 'admin' and not exists (select 1 from public.profiles p where p.role = 'admin' and p.id <> v_user) then
    raise exception '您是唯一的管理员，不能注销账号。请先把另一位同事设为管理员。'
      using errcode = 'P0001', hint = 'last_admin';
  end if;
  -- Staff accounts carry the centre's work (posts, role grants, later reviews and batches), which must
  -- stay attributed: an admin first makes the person a worker again.
  if v_role <> 'worker' then
    raise exception '创业管家和管理员的账号是工作账号，请先请管理员把您的角色改为职工，再注销账号。'
      using errcode = '42501', hint = 'staff_account';
  end if;
  insert into private.account_deletions (user_id) values (v_user) on conflict (user_id) do nothing;
  begin
    delete from public.profiles p where p.id = v_user;
  exception when foreign_key_violation then
    -- A record that must be kept still names the person (e.g. a post from when they were staff).
    raise exception '您的账号还关联着需要保留的工作记录（如发布过的资讯），请联系管理员办理注销。'
      using errcode = 'P0001', hint = 'records_kept';
  end;
end
$$;
comment on function private.delete_my_account() is
  'Deletes the caller''s account in one transaction: the profile and, by cascade, WeChat identity, phone number, bookmarks, notifications and subscriptions; keeps the consent history and role audit under the id. Refuses the last admin and staff accounts. Calling it again after success does nothing.';
revoke execute on function private.delete_my_account() from public;
grant execute on function private.delete_my_account() to authenticated;

create function public.delete_my_account() returns void
language sql volatile security invoker set search_path = ''
as $$ select private.delete_my_account() $$;
comment on function public.delete_my_account() is
  '注销账号 for the caller only (it takes no user id). Idempotent: a second call after success changes nothing and succeeds.';
revoke execute on function public.delete_my_account() from public, anon;

-- New functions in private are executable by PUBLIC by default; only the grants above should stand.
revoke execute on all functions in schema private from public;
