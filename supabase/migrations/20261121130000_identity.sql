-- Identity: WeChat sign-in, profile fields, consent history, role grants by admins, phone numbers.
-- Sign-in itself happens in the wechat-login edge function; the database holds who is who and who may
-- do what. Roles are read from here on every request, never from anything the client sends.

-- =====================================================================================================
-- helpers
-- =====================================================================================================
create function private.is_admin() returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce(private.current_app_role() = 'admin', false)
$$;
comment on function private.is_admin() is 'True when the caller is an admin (管理员).';
grant execute on function private.is_admin() to anon, authenticated, service_role;

-- =====================================================================================================
-- profile fields
-- =====================================================================================================
alter table public.profiles
  add column district text check (char_length(btrim(district)) between 1 and 40),
  add column former_employer text check (char_length(btrim(former_employer)) between 1 and 40),
  add column displaced_on date check (displaced_on >= date '1990-01-01'),
  add column startup_intention text check (char_length(startup_intention) <= 200),
  add column privacy_version text,
  add column privacy_accepted_at timestamptz,
  add column onboarded_at timestamptz;

comment on column public.profiles.district is 'Street or district the person belongs to (所属街道).';
comment on column public.profiles.former_employer is 'The enterprise they left (原单位), e.g. 青岛钢铁.';
comment on column public.profiles.displaced_on is 'When they left it (分流日期).';
comment on column public.profiles.startup_intention is 'What they would like to start (创业意向), in their words.';
comment on column public.profiles.privacy_version is
  'Version of the privacy notice last accepted; maintained from the consents history, never by clients.';
comment on column public.profiles.onboarded_at is
  'Set once the person accepted the privacy notice and completed their profile.';

-- The person may edit these fields of their own row; role, consent and onboarding are the system's.
grant update (district, former_employer, displaced_on, startup_intention) on public.profiles to authenticated;

-- =====================================================================================================
-- WeChat identities (never exposed: an openid identifies a person across the whole mini-program)
-- =====================================================================================================
create table private.wechat_identities (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  openid text not null unique check (char_length(openid) between 1 and 64),
  unionid text unique check (char_length(unionid) between 1 and 64),
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz not null default now()
);
comment on table private.wechat_identities is
  'One WeChat account per person, found by openid at sign-in. Read and written only by the service role.';
revoke all on private.wechat_identities from public, anon, authenticated;
grant select, insert, update on private.wechat_identities to service_role;

create function public.sign_in_wechat(p_openid text, p_unionid text default null, p_create boolean default true)
returns table (id uuid, role public.app_role, display_name text, onboarded boolean, created boolean)
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_user uuid;
  v_created boolean := false;
begin
  if coalesce(btrim(p_openid), '') = '' then
    raise exception 'openid is required' using errcode = '22023';
  end if;
  update private.wechat_identities w
     set last_sign_in_at = now(), unionid = coalesce(p_unionid, w.unionid)
   where w.openid = p_openid
  returning w.user_id into v_user;
  if v_user is null then
    if not p_create then
      return;
    end if;
    insert into public.profiles (display_name) values ('微信用户') returning profiles.id into v_user;
    insert into private.wechat_identities (user_id, openid, unionid) values (v_user, p_openid, p_unionid);
    v_created := true;
  end if;
  return query
    select p.id, p.role, p.display_name, p.onboarded_at is not null, v_created
      from public.profiles p where p.id = v_user;
end
$$;
comment on function public.sign_in_wechat(text, text, boolean) is
  'Finds or creates the person behind a WeChat openid. Called by the wechat-login function with the service role only.';
revoke execute on function public.sign_in_wechat(text, text, boolean) from public, anon, authenticated;
grant execute on function public.sign_in_wechat(text, text, boolean) to service_role;

-- =====================================================================================================
-- consent history (append-only)
-- =====================================================================================================
create table public.consents (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  purpose text not null check (purpose in ('privacy_notice', 'personal_info')),
  version text not null check (version ~ '^[0-9A-Za-z.-]{1,20}$'),
  accepted_at timestamptz not null default now()
);
comment on table public.consents is
  'Every consent a person gave, with the version of the text they accepted. Rows are never changed or removed.';
create index consents_user_idx on public.consents (user_id, accepted_at desc);

alter table public.consents enable row level security;
revoke all on public.consents from anon, authenticated;
grant select on public.consents to authenticated;
grant insert (purpose, version) on public.consents to authenticated;

revoke update, delete, truncate on public.consents from service_role;

create policy "people read their own consents" on public.consents
  for select to authenticated using (user_id = (select auth.uid()));
create policy "people give consent for themselves" on public.consents
  for insert to authenticated with check (user_id = (select auth.uid()));

create function private.apply_privacy_consent() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.purpose = 'privacy_notice' then
    update public.profiles
       set privacy_version = new.version, privacy_accepted_at = new.accepted_at
     where id = new.user_id;
  end if;
  return new;
end
$$;
comment on function private.apply_privacy_consent() is
  'Keeps profiles.privacy_version in step with the consent history; clients cannot write those columns.';

create trigger consents_apply after insert on public.consents
  for each row execute function private.apply_privacy_consent();

-- =====================================================================================================
-- onboarding
-- =====================================================================================================
create function private.complete_onboarding(
  p_display_name text, p_district text, p_former_employer text, p_displaced_on date, p_startup_intention text
) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
begin
  if v_user is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not exists (select 1 from public.profiles p where p.id = v_user and p.privacy_accepted_at is not null) then
    raise exception '请先阅读并同意隐私保护指引' using errcode = 'P0001', hint = 'privacy_notice_required';
  end if;
  update public.profiles
     set display_name = btrim(p_display_name),
         district = nullif(btrim(p_district), ''),
         former_employer = nullif(btrim(p_former_employer), ''),
         displaced_on = p_displaced_on,
         startup_intention = nullif(btrim(p_startup_intention), ''),
         onboarded_at = coalesce(onboarded_at, now())
   where id = v_user;
end
$$;
comment on function private.complete_onboarding(text, text, text, date, text) is
  'Saves the first profile and marks the person onboarded; refuses until the privacy notice is accepted.';
grant execute on function private.complete_onboarding(text, text, text, date, text) to authenticated;

create function public.complete_onboarding(
  display_name text, district text, former_employer text default null, displaced_on date default null,
  startup_intention text default null
) returns public.profiles
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  perform private.complete_onboarding(display_name, district, former_employer, displaced_on, startup_intention);
  select * into v_profile from public.profiles p where p.id = (select auth.uid());
  return v_profile;
end
$$;
comment on function public.complete_onboarding(text, text, text, date, text) is
  'The onboarding form''s save: profile fields plus the onboarded mark, in one step.';
revoke execute on function public.complete_onboarding(text, text, text, date, text) from public, anon;

-- =====================================================================================================
-- roles: granted by admins only, every change audited
-- =====================================================================================================
create table public.role_changes (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  old_role public.app_role not null,
  new_role public.app_role not null,
  changed_by uuid not null references public.profiles (id),
  changed_at timestamptz not null default now()
);
comment on table public.role_changes is 'Audit of every role grant or removal. Append-only: nobody updates or deletes it.';
create index role_changes_user_idx on public.role_changes (user_id, changed_at desc);

alter table public.role_changes enable row level security;
revoke all on public.role_changes from anon, authenticated;
grant select on public.role_changes to authenticated;
revoke update, delete, truncate on public.role_changes from service_role;

create policy "admins read the role audit" on public.role_changes
  for select to authenticated using ((select private.is_admin()));
create policy "people read changes to their own role" on public.role_changes
  for select to authenticated using (user_id = (select auth.uid()));

create function private.set_user_role(p_user uuid, p_role public.app_role) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_admin uuid := (select auth.uid());
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
  update public.profiles set role = p_role where id = p_user;
  insert into public.role_changes (user_id, old_role, new_role, changed_by) values (p_user, v_old, p_role, v_admin);
end
$$;
comment on function private.set_user_role(uuid, public.app_role) is
  'Changes a person''s role and writes the audit row; only admins, and never the last admin away.';
grant execute on function private.set_user_role(uuid, public.app_role) to authenticated;

create function public.set_user_role(user_id uuid, new_role public.app_role) returns public.profiles
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  perform private.set_user_role(user_id, new_role);
  select * into v_profile from public.profiles p where p.id = set_user_role.user_id;
  return v_profile;
end
$$;
comment on function public.set_user_role(uuid, public.app_role) is 'Admin-only role grant (设置角色), audited in role_changes.';
revoke execute on function public.set_user_role(uuid, public.app_role) from public, anon;

-- =====================================================================================================
-- phone numbers (from WeChat's getPhoneNumber, written by the wechat-phone function)
-- =====================================================================================================
create table public.profile_contacts (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  phone text not null check (phone ~ '^\+?[0-9]{5,20}$'),
  verified_at timestamptz not null default now()
);
comment on table public.profile_contacts is
  'A person''s phone number as WeChat verified it. Visible to the person (and, once groups exist, to the butlers of their groups); written only by the service role.';

alter table public.profile_contacts enable row level security;
revoke all on public.profile_contacts from anon, authenticated;
grant select on public.profile_contacts to authenticated;

create policy "people read their own phone number" on public.profile_contacts
  for select to authenticated using (user_id = (select auth.uid()));
