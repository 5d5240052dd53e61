-- Entrepreneurship groups (创业群, issue 10): groups, their members with a role in the group (member or
-- butler), join requests, and the rules that follow from membership: who reads a group and its members,
-- who manages it, whose full profile a butler may read (the members of their groups, and only those),
-- and who reads and writes the group's chat images.
--
-- Every change of membership goes through an RPC that checks who is asking and writes notifications
-- through private.notify in the same transaction; clients have SELECT only. Admins create groups and
-- appoint butlers; a group's butlers (and admins) manage it: approve join requests, remove members,
-- rotate the invite code, edit the name and description.

-- =====================================================================================================
-- types and tables
-- =====================================================================================================
create type public.group_role as enum ('member', 'butler');
comment on type public.group_role is
  'A person''s role inside one group: member (职工), or butler (创业管家, manages the group). Set by admins for butlers; joining makes a member.';

create table public.groups (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 30),
  description text not null default '' check (char_length(description) <= 500),
  district text not null check (char_length(btrim(district)) between 1 and 40),
  invite_code text not null unique check (invite_code ~ '^[A-Z0-9]{4,12}$'),
  response_target_minutes int not null default 120 check (response_target_minutes between 5 and 10080),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  archived_at timestamptz
);
comment on table public.groups is
  '创业群: a street office''s group of workers and the butlers who look after them. Read by its members (and admins); created by admins (create_group), managed by its butlers through RPCs.';
comment on column public.groups.invite_code is
  'Anyone with the code joins at once (join_group_by_code). Upper-case letters and digits; butlers rotate it (rotate_invite_code) when it has leaked.';
comment on column public.groups.response_target_minutes is 'How soon, in working minutes, a question in this group should be answered (default 2 working hours).';
comment on column public.groups.archived_at is 'An archived group takes no new members or messages; its history stays readable to its members.';
create index groups_created_by_idx on public.groups (created_by);

create table public.group_members (
  group_id uuid not null references public.groups (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.group_role not null default 'member',
  joined_at timestamptz not null default now(),
  last_read_rev bigint not null default 0 check (last_read_rev >= 0),
  primary key (group_id, user_id)
);
comment on table public.group_members is
  'Who is in which group, with their role there. Members read the membership of their own groups (names through profiles); rows change only through the group RPCs.';
comment on column public.group_members.last_read_rev is
  'Read state kept on the server so unread counts agree on every device: the highest message rev (see group_messages.rev) this person has seen in the group. Only grows; set by mark_group_read.';
create index group_members_user_idx on public.group_members (user_id, group_id);

create table public.group_join_requests (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references public.groups (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  note text not null default '' check (char_length(note) <= 200),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  decided_by uuid references public.profiles (id) on delete set null,
  decided_at timestamptz,
  decision_note text not null default '' check (char_length(decision_note) <= 200),
  created_at timestamptz not null default now(),
  constraint decided_requests_say_when check ((status = 'pending') = (decided_at is null))
);
comment on table public.group_join_requests is
  'Requests to join a group without its code (申请入群), decided by one of the group''s butlers. Read by the person who asked and the group''s butlers; written only by the RPCs.';
comment on column public.group_join_requests.decided_by is 'The butler or admin who decided; null while pending, or when the person joined with the code meanwhile.';
create unique index group_join_requests_one_pending_idx on public.group_join_requests (group_id, user_id) where status = 'pending';
create index group_join_requests_user_idx on public.group_join_requests (user_id, created_at desc);
create index group_join_requests_group_idx on public.group_join_requests (group_id, status, created_at);
create index group_join_requests_decided_by_idx on public.group_join_requests (decided_by);

alter table public.groups enable row level security;
alter table public.group_members enable row level security;
alter table public.group_join_requests enable row level security;
revoke all on public.groups, public.group_members, public.group_join_requests from anon, authenticated;
grant select on public.groups, public.group_members, public.group_join_requests to authenticated;

-- =====================================================================================================
-- helpers: membership of the caller (security definer: they read group_members past its own RLS)
-- =====================================================================================================
create function private.is_group_member(p_group uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.group_members m where m.group_id = p_group and m.user_id = (select auth.uid())
  )
$$;
comment on function private.is_group_member(uuid) is
  'True when the caller is in the group (as member or butler). For policies, RPCs and storage rules.';

create function private.is_group_butler(p_group uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.group_members m
     where m.group_id = p_group and m.user_id = (select auth.uid()) and m.role = 'butler'
  ) and private.is_staff()
$$;
comment on function private.is_group_butler(uuid) is
  'True when the caller is a butler of the group and still staff (a butler an admin made a worker again loses the group''s management with the role).';

create function private.can_manage_group(p_group uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.is_group_butler(p_group) or private.is_admin()
$$;
comment on function private.can_manage_group(uuid) is
  'Who manages a group (members, requests, code, flagged content): its butlers, and admins for every group.';

create function private.my_group_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.group_id from public.group_members m where m.user_id = (select auth.uid())
$$;
comment on function private.my_group_ids() is
  'The groups the caller is in. Policies of large tables use `group_id in (select private.my_group_ids())`, which PostgreSQL evaluates once per query instead of once per row.';

create function private.butler_groups_of(person uuid) returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.group_id from public.group_members m
   where m.user_id = person and m.role = 'butler'
     and exists (select 1 from public.profiles p where p.id = person and p.role in ('butler', 'admin'))
$$;
comment on function private.butler_groups_of(uuid) is
  'The groups a person is a butler of (while they are staff): the duty roster and the question desk assign within these.';

create function private.shares_group_with(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.group_members me
      join public.group_members them on them.group_id = me.group_id
     where me.user_id = (select auth.uid()) and them.user_id = person
  )
$$;
comment on function private.shares_group_with(uuid) is 'True when the caller and the person are in one group: co-members see each other''s names.';

create function private.is_butler_of_person(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.is_staff() and exists (
    select 1 from public.group_members me
      join public.group_members them on them.group_id = me.group_id
     where me.user_id = (select auth.uid()) and me.role = 'butler' and them.user_id = person and them.role = 'member'
  )
$$;
comment on function private.is_butler_of_person(uuid) is
  'True when the caller is a butler (and still staff) of a group the person is a member of: "为您服务的创业管家" of the privacy notice. Fellow butlers are not members they serve.';

create function private.uuid_or_null(t text) returns uuid
language sql immutable set search_path = ''
as $$
  select case when t ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then t::uuid end
$$;
comment on function private.uuid_or_null(text) is 'The text as a uuid, or null when it is not one (object names are client-chosen; a cast must not fail).';

revoke execute on function private.is_group_member(uuid), private.is_group_butler(uuid), private.can_manage_group(uuid),
  private.my_group_ids(), private.butler_groups_of(uuid), private.shares_group_with(uuid),
  private.is_butler_of_person(uuid), private.uuid_or_null(text) from public;
grant execute on function private.is_group_member(uuid), private.is_group_butler(uuid), private.can_manage_group(uuid),
  private.my_group_ids(), private.butler_groups_of(uuid), private.shares_group_with(uuid),
  private.is_butler_of_person(uuid), private.uuid_or_null(text) to authenticated, service_role;
-- Storage rules are evaluated for anon as well (public buckets): every function they name must be
-- executable by anon, even in a branch anon never reaches (PostgreSQL checks EXECUTE when it plans).
grant execute on function private.is_group_member(uuid), private.uuid_or_null(text) to anon;

-- =====================================================================================================
-- policies
-- =====================================================================================================
create policy "members read their groups, admins every group" on public.groups
  for select to authenticated using (id in (select private.my_group_ids()) or (select private.is_admin()));

create policy "members read their groups' memberships, admins all" on public.group_members
  for select to authenticated using (group_id in (select private.my_group_ids()) or (select private.is_admin()));

create policy "people read own requests, managers their groups' requests" on public.group_join_requests
  for select to authenticated using (user_id = (select auth.uid()) or private.can_manage_group(group_id));

-- =====================================================================================================
-- whose profile and whose name: butlers of a person's groups join the person and admins
-- =====================================================================================================
create or replace function private.can_see_profile(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce(person = (select auth.uid()), false) or private.is_admin() or private.is_butler_of_person(person)
$$;
comment on function private.can_see_profile(uuid) is
  'True when the caller may read every field of the person''s profile: the person themselves, admins, and the butlers of a group the person is in (and no other butler). The one place that decides it; the profiles policy (names), public.full_profiles() and the RPCs that answer with a profile ask here.';

create or replace function private.can_see_name(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  -- Sharing a group first: it is one index lookup and the common case (a chat's senders, a group's
  -- members), so the rules behind it are rarely asked. PostgreSQL evaluates OR from the left and stops
  -- at the first true.
  select private.shares_group_with(person) or private.can_see_profile(person) or private.has_published_posts(person)
$$;
comment on function private.can_see_name(uuid) is
  'True when the caller may read the person''s name (and only the name, by column grant): the people who share a group with the person, whoever may read the full profile, and everyone for the author of a visible post.';

-- The butlers of a worker's groups also read the worker's phone number ("为您服务的创业管家").
drop policy "people read their own phone number" on public.profile_contacts;
create policy "people read own phone number, their groups' butlers too" on public.profile_contacts
  for select to authenticated using (user_id = (select auth.uid()) or private.is_butler_of_person(user_id));

-- =====================================================================================================
-- invite codes
-- =====================================================================================================
create function private.new_invite_code() returns text
language sql volatile set search_path = ''
as $$
  -- Eight characters from 31 that cannot be mistaken for each other when read aloud or off a poster
  -- (no 0/O, 1/I/L): about 850 billion codes, so guessing any of thousands of groups' codes takes
  -- hundreds of millions of tries (a wrong code writes nothing, so it cannot be counted per person here;
  -- the API gateway's rate limits are the other half of that defence).
  select string_agg(substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + floor(random() * 31)::int, 1), '')
    from generate_series(1, 8)
$$;
comment on function private.new_invite_code() is 'A fresh random invite code (not yet checked for uniqueness).';
revoke execute on function private.new_invite_code() from public;

create function private.normalize_invite_code(code text) returns text
language sql immutable set search_path = ''
as $$
  select upper(regexp_replace(coalesce(code, ''), '[\s-]', '', 'g'))
$$;
comment on function private.normalize_invite_code(text) is 'What a person typed, as codes are stored: spaces and dashes dropped, upper case.';
revoke execute on function private.normalize_invite_code(text) from public;

-- =====================================================================================================
-- creating and editing groups
-- =====================================================================================================
create function private.require_group(p_group uuid, p_for_update boolean default false) returns public.groups
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.groups;
begin
  if p_for_update then
    select * into v from public.groups g where g.id = p_group for update;
  else
    select * into v from public.groups g where g.id = p_group;
  end if;
  if v.id is null then
    raise exception '找不到这个创业群' using errcode = 'P0002';
  end if;
  return v;
end
$$;
comment on function private.require_group(uuid, boolean) is 'The group, or the Chinese not-found error (P0002); optionally locked for update.';
revoke execute on function private.require_group(uuid, boolean) from public;

create function private.require_manager(p_group uuid) returns public.groups
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.groups;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  -- Someone who may not manage the group learns nothing about it: a group they cannot see and a group
  -- that does not exist answer alike.
  if not private.can_manage_group(p_group) then
    if private.is_group_member(p_group) then
      raise exception '只有本群的创业管家可以管理本群' using errcode = '42501';
    end if;
    raise exception '找不到这个创业群' using errcode = 'P0002';
  end if;
  return private.require_group(p_group, true);
end
$$;
comment on function private.require_manager(uuid) is
  'Refuses callers who do not manage the group (42501 for its members, P0002 for outsiders, as for a group that does not exist) and returns the group locked for update.';
revoke execute on function private.require_manager(uuid) from public;

create function private.create_group(
  p_name text, p_district text, p_description text, p_butlers uuid[], p_response_target_minutes int
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_code text;
  v_bad uuid;
begin
  if not private.is_admin() then
    raise exception '只有管理员可以创建创业群' using errcode = '42501';
  end if;
  if char_length(btrim(coalesce(p_name, ''))) not between 1 and 30 then
    raise exception '群名称需要1到30个字' using errcode = '22023';
  end if;
  if char_length(btrim(coalesce(p_district, ''))) not between 1 and 40 then
    raise exception '请填写所属街道（最多40个字）' using errcode = '22023';
  end if;
  if char_length(coalesce(p_description, '')) > 500 then
    raise exception '群简介最多500个字' using errcode = '22023';
  end if;
  if coalesce(p_response_target_minutes, 120) not between 5 and 10080 then
    raise exception '答复时限需要在5分钟到7天之间' using errcode = '22023';
  end if;
  if cardinality(coalesce(p_butlers, '{}')) > 20 then
    raise exception '一个群最多指定20位创业管家' using errcode = '22023';
  end if;
  select b into v_bad from unnest(coalesce(p_butlers, '{}')) b
   where not exists (select 1 from public.profiles p where p.id = b and p.role in ('butler', 'admin'))
   limit 1;
  if found then
    raise exception '只能指定创业管家或管理员为本群管家' using errcode = '22023', detail = 'not staff: ' || coalesce(v_bad::text, 'null');
  end if;
  loop
    v_code := private.new_invite_code();
    exit when not exists (select 1 from public.groups g where g.invite_code = v_code);
  end loop;
  insert into public.groups (name, district, description, invite_code, response_target_minutes, created_by)
  values (btrim(p_name), btrim(p_district), coalesce(p_description, ''), v_code, coalesce(p_response_target_minutes, 120), (select auth.uid()))
  returning id into v_id;
  insert into public.group_members (group_id, user_id, role)
  select distinct v_id, b, 'butler'::public.group_role from unnest(coalesce(p_butlers, '{}')) b;
  return v_id;
end
$$;
comment on function private.create_group(text, text, text, uuid[], int) is 'Admins create a group with a fresh invite code and its first butlers.';
revoke execute on function private.create_group(text, text, text, uuid[], int) from public;
grant execute on function private.create_group(text, text, text, uuid[], int) to authenticated;

create function public.create_group(
  name text, district text, description text default '', butlers uuid[] default '{}', response_target_minutes int default 120
) returns public.groups
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.create_group(name, district, description, butlers, response_target_minutes);
  v public.groups;
begin
  select * into v from public.groups g where g.id = v_id;
  return v;
end
$$;
comment on function public.create_group(text, text, text, uuid[], int) is
  '新建创业群 (admins): name, district, description, the butlers (staff) and the response target in minutes; answers with the new group and its invite code.';
revoke execute on function public.create_group(text, text, text, uuid[], int) from public, anon;

create function private.update_group(p_group uuid, p_name text, p_description text, p_response_target_minutes int) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.require_manager(p_group);
  if p_name is not null and char_length(btrim(p_name)) not between 1 and 30 then
    raise exception '群名称需要1到30个字' using errcode = '22023';
  end if;
  if char_length(coalesce(p_description, '')) > 500 then
    raise exception '群简介最多500个字' using errcode = '22023';
  end if;
  if p_response_target_minutes is not null and p_response_target_minutes not between 5 and 10080 then
    raise exception '答复时限需要在5分钟到7天之间' using errcode = '22023';
  end if;
  update public.groups g
     set name = coalesce(btrim(p_name), g.name),
         description = coalesce(p_description, g.description),
         response_target_minutes = coalesce(p_response_target_minutes, g.response_target_minutes)
   where g.id = p_group;
end
$$;
comment on function private.update_group(uuid, text, text, int) is 'Managers edit a group''s name, description and response target (null keeps a field).';
revoke execute on function private.update_group(uuid, text, text, int) from public;
grant execute on function private.update_group(uuid, text, text, int) to authenticated;

create function public.update_group(
  group_id uuid, name text default null, description text default null, response_target_minutes int default null
) returns public.groups
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v public.groups;
begin
  perform private.update_group(group_id, name, description, response_target_minutes);
  select * into v from public.groups g where g.id = update_group.group_id;
  return v;
end
$$;
comment on function public.update_group(uuid, text, text, int) is '编辑群资料 for the group''s butlers and admins; omitted fields stay as they are.';
revoke execute on function public.update_group(uuid, text, text, int) from public, anon;

create function private.set_group_role(p_group uuid, p_person uuid, p_role public.group_role) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if not private.is_admin() then
    raise exception '只有管理员可以任命或撤销本群管家' using errcode = '42501';
  end if;
  perform private.require_group(p_group, true);
  if p_role is null then
    raise exception '请选择群内角色' using errcode = '22023';
  end if;
  if p_role = 'butler' and not exists (select 1 from public.profiles p where p.id = p_person and p.role in ('butler', 'admin')) then
    raise exception '只能任命创业管家或管理员为本群管家' using errcode = '22023';
  end if;
  if not exists (select 1 from public.profiles p where p.id = p_person) then
    raise exception '找不到这个用户' using errcode = 'P0002';
  end if;
  if p_role = 'member' and exists (
    select 1 from public.group_members m where m.group_id = p_group and m.user_id = p_person and m.role = 'butler'
  ) and not exists (
    select 1 from public.group_members m where m.group_id = p_group and m.user_id <> p_person and m.role = 'butler'
  ) then
    raise exception '每个群至少需要一位创业管家' using errcode = 'P0001';
  end if;
  insert into public.group_members (group_id, user_id, role) values (p_group, p_person, p_role)
  on conflict (group_id, user_id) do update set role = excluded.role;
end
$$;
comment on function private.set_group_role(uuid, uuid, public.group_role) is
  'Admins appoint a butler of a group (adding them if needed) or make a butler a member again; the last butler stays.';
revoke execute on function private.set_group_role(uuid, uuid, public.group_role) from public;
grant execute on function private.set_group_role(uuid, uuid, public.group_role) to authenticated;

create function public.set_group_role(group_id uuid, person uuid, role public.group_role) returns void
language sql volatile security invoker set search_path = ''
as $$ select private.set_group_role(group_id, person, role) $$;
comment on function public.set_group_role(uuid, uuid, public.group_role) is '任命/撤销本群管家 (admins): a staff member becomes a butler of the group, or a butler a member.';
revoke execute on function public.set_group_role(uuid, uuid, public.group_role) from public, anon;

create function private.rotate_invite_code(p_group uuid) returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_code text;
begin
  perform private.require_manager(p_group);
  loop
    v_code := private.new_invite_code();
    exit when not exists (select 1 from public.groups g where g.invite_code = v_code);
  end loop;
  update public.groups g set invite_code = v_code where g.id = p_group;
  return v_code;
end
$$;
comment on function private.rotate_invite_code(uuid) is 'A new invite code for the group; the old one stops working at once.';
revoke execute on function private.rotate_invite_code(uuid) from public;
grant execute on function private.rotate_invite_code(uuid) to authenticated;

create function public.rotate_invite_code(group_id uuid) returns text
language sql volatile security invoker set search_path = ''
as $$ select private.rotate_invite_code(group_id) $$;
comment on function public.rotate_invite_code(uuid) is '更换邀请码 (the group''s butlers and admins): answers with the new code.';
revoke execute on function public.rotate_invite_code(uuid) from public, anon;

-- =====================================================================================================
-- joining: by code at once, or by request decided by a butler
-- =====================================================================================================
create function private.add_member(p_group uuid, p_person uuid) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_added boolean;
begin
  insert into public.group_members (group_id, user_id, role) values (p_group, p_person, 'member')
  on conflict (group_id, user_id) do nothing;
  v_added := found;
  -- A request still pending is settled by the joining.
  update public.group_join_requests r
     set status = 'approved', decided_at = now()
   where r.group_id = p_group and r.user_id = p_person and r.status = 'pending';
  return v_added;
end
$$;
comment on function private.add_member(uuid, uuid) is 'Adds a member (once: a second add changes nothing) and settles their pending request. Returns whether a row was added.';
revoke execute on function private.add_member(uuid, uuid) from public;

create function private.join_group_by_code(p_code text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_code text := private.normalize_invite_code(p_code);
  v_group public.groups;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if v_code !~ '^[A-Z0-9]{4,12}$' then
    raise exception '邀请码是4到12位字母或数字，请核对后再输入' using errcode = '22023';
  end if;
  select * into v_group from public.groups g where g.invite_code = v_code for share;
  if v_group.id is null then
    raise exception '邀请码不正确或已更换，请向创业管家索取新的邀请码' using errcode = 'P0002';
  end if;
  if v_group.archived_at is not null then
    raise exception '这个创业群已停用' using errcode = 'P0001';
  end if;
  perform private.add_member(v_group.id, (select auth.uid()));
  return v_group.id;
end
$$;
comment on function private.join_group_by_code(text) is 'Joins the caller to the group whose code this is; joining again changes nothing.';
revoke execute on function private.join_group_by_code(text) from public;
grant execute on function private.join_group_by_code(text) to authenticated;

create function public.join_group_by_code(code text) returns public.groups
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.join_group_by_code(code);
  v public.groups;
begin
  select * into v from public.groups g where g.id = v_id;
  return v;
end
$$;
comment on function public.join_group_by_code(text) is
  '凭邀请码入群: answers with the group; case, spaces and dashes in the code do not matter. A wrong or rotated code is P0002.';
revoke execute on function public.join_group_by_code(text) from public, anon;

create function private.discover_groups(query text)
returns table (id uuid, name text, district text, description text, is_member boolean, request_pending boolean)
language sql stable security definer set search_path = ''
as $$
  select g.id, g.name, g.district, g.description,
         exists (select 1 from public.group_members m where m.group_id = g.id and m.user_id = (select auth.uid())),
         exists (select 1 from public.group_join_requests r
                  where r.group_id = g.id and r.user_id = (select auth.uid()) and r.status = 'pending')
    from public.groups g
   where g.archived_at is null
     and (coalesce(btrim(query), '') = '' or g.name ilike '%' || btrim(query) || '%' or g.district ilike '%' || btrim(query) || '%')
   order by g.district, g.name
   limit 50
$$;
comment on function private.discover_groups(text) is
  'The directory for 申请入群: open groups by name or district, without invite codes or members, and whether the caller is in each or has asked. Security definer (a person must find a group before being in it); it gives nothing but these columns.';
revoke execute on function private.discover_groups(text) from public;
grant execute on function private.discover_groups(text) to authenticated;

create function public.discover_groups(query text default null)
returns table (id uuid, name text, district text, description text, is_member boolean, request_pending boolean)
language sql stable security invoker set search_path = ''
as $$ select * from private.discover_groups(query) $$;
comment on function public.discover_groups(text) is '找群 for 申请入群: open groups by name or district (at most 50), with whether the caller is in each or has asked.';
revoke execute on function public.discover_groups(text) from public, anon;

create function private.request_to_join_group(p_group uuid, p_note text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_group public.groups;
  v_id uuid;
  v_name text;
  b record;
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if char_length(coalesce(p_note, '')) > 200 then
    raise exception '申请说明最多200个字' using errcode = '22023';
  end if;
  v_group := private.require_group(p_group);
  if v_group.archived_at is not null then
    raise exception '这个创业群已停用' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.group_members m where m.group_id = p_group and m.user_id = v_me) then
    raise exception '您已经在这个创业群里了' using errcode = '23505';
  end if;
  select r.id into v_id from public.group_join_requests r where r.group_id = p_group and r.user_id = v_me and r.status = 'pending';
  if v_id is not null then
    return v_id; -- asked already: the same request, not a second one
  end if;
  if (select count(*) from public.group_join_requests r
       where r.user_id = v_me and r.created_at > now() - interval '1 day') >= 20 then
    raise exception '今天的入群申请太多了，请明天再试' using errcode = 'P0001';
  end if;
  insert into public.group_join_requests (group_id, user_id, note) values (p_group, v_me, coalesce(btrim(p_note), ''))
  on conflict (group_id, user_id) where status = 'pending' do nothing
  returning id into v_id;
  if v_id is null then
    select r.id into v_id from public.group_join_requests r where r.group_id = p_group and r.user_id = v_me and r.status = 'pending';
    return v_id;
  end if;
  select p.display_name into v_name from public.profiles p where p.id = v_me;
  for b in select m.user_id from public.group_members m where m.group_id = p_group and m.role = 'butler' loop
    perform private.notify(
      b.user_id, 'group_join_request', left('入群申请：' || v_group.name, 40),
      left(v_name || '申请加入' || v_group.name || coalesce('：' || nullif(btrim(p_note), ''), ''), 200),
      '/subpackages/butler/pages/group-manage/index?id=' || p_group, jsonb_build_object('group_id', p_group, 'request_id', v_id),
      'group_join_request:' || v_id || ':' || b.user_id);
  end loop;
  return v_id;
end
$$;
comment on function private.request_to_join_group(uuid, text) is
  'Asks to join a group; the group''s butlers are told. One pending request per person and group (asking again returns it); at most 20 requests a day per person.';
revoke execute on function private.request_to_join_group(uuid, text) from public;
grant execute on function private.request_to_join_group(uuid, text) to authenticated;

create function public.request_to_join_group(group_id uuid, note text default '') returns public.group_join_requests
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.request_to_join_group(request_to_join_group.group_id, request_to_join_group.note);
  v public.group_join_requests;
begin
  select * into v from public.group_join_requests r where r.id = v_id;
  return v;
end
$$;
comment on function public.request_to_join_group(uuid, text) is '申请入群 with an optional note (≤ 200 characters); answers with the request.';
revoke execute on function public.request_to_join_group(uuid, text) from public, anon;

create function private.decide_join_request(p_request uuid, p_approve boolean, p_note text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_req public.group_join_requests;
  v_group public.groups;
  v_status text := case when p_approve then 'approved' else 'rejected' end;
begin
  if p_approve is null then
    raise exception '请选择同意或拒绝' using errcode = '22023';
  end if;
  if char_length(coalesce(p_note, '')) > 200 then
    raise exception '处理说明最多200个字' using errcode = '22023';
  end if;
  select * into v_req from public.group_join_requests r where r.id = p_request;
  if v_req.id is null or not private.can_manage_group(v_req.group_id) then
    raise exception '找不到这条入群申请' using errcode = 'P0002';
  end if;
  -- The group first, then the request, always in this order: two butlers deciding at once wait for each
  -- other here, and the second sees the first's decision.
  v_group := private.require_manager(v_req.group_id);
  select * into v_req from public.group_join_requests r where r.id = p_request for update;
  if v_req.status <> 'pending' then
    if v_req.status = v_status then
      return v_req.id; -- the same decision twice (a retry, or two butlers agreeing): nothing more to do
    end if;
    raise exception '这条申请已由其他管家处理' using errcode = 'P0001';
  end if;
  update public.group_join_requests r
     set status = v_status, decided_by = (select auth.uid()), decided_at = now(), decision_note = coalesce(btrim(p_note), '')
   where r.id = p_request;
  if p_approve then
    perform private.add_member(v_req.group_id, v_req.user_id);
    perform private.notify(
      v_req.user_id, 'group_join_approved', left('您已加入' || v_group.name, 40),
      left('创业管家同意了您的入群申请，现在可以在群里提问了。' || coalesce(nullif(btrim(p_note), ''), ''), 200),
      '/pages/groups/index', jsonb_build_object('group_id', v_group.id), 'group_join_decided:' || v_req.id, 'account_change');
  else
    perform private.notify(
      v_req.user_id, 'group_join_rejected', left('入群申请未通过：' || v_group.name, 40),
      left(coalesce(nullif(btrim(p_note), ''), '如有疑问，请联系街道创业管家。'), 200),
      '/pages/groups/index', jsonb_build_object('group_id', v_group.id), 'group_join_decided:' || v_req.id);
  end if;
  return v_req.id;
end
$$;
comment on function private.decide_join_request(uuid, boolean, text) is
  'A butler of the group (or an admin) approves or rejects a pending request once; the person is told. Concurrent decisions are serialised on the group row.';
revoke execute on function private.decide_join_request(uuid, boolean, text) from public;
grant execute on function private.decide_join_request(uuid, boolean, text) to authenticated;

create function public.decide_join_request(request_id uuid, approve boolean, note text default '') returns public.group_join_requests
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.decide_join_request(decide_join_request.request_id, decide_join_request.approve, decide_join_request.note);
  v public.group_join_requests;
begin
  select * into v from public.group_join_requests r where r.id = v_id;
  return v;
end
$$;
comment on function public.decide_join_request(uuid, boolean, text) is '审核入群申请 (the group''s butlers and admins): approve or reject, with an optional note to the person.';
revoke execute on function public.decide_join_request(uuid, boolean, text) from public, anon;

-- =====================================================================================================
-- leaving and removal
-- =====================================================================================================
create function private.leave_group(p_group uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_role public.group_role;
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not private.is_group_member(p_group) then
    raise exception '您不在这个创业群里' using errcode = 'P0002';
  end if;
  perform private.require_group(p_group, true);
  select m.role into v_role from public.group_members m where m.group_id = p_group and m.user_id = v_me;
  if v_role = 'butler' and not exists (
    select 1 from public.group_members m where m.group_id = p_group and m.role = 'butler' and m.user_id <> v_me
  ) then
    raise exception '您是本群唯一的创业管家，请先请管理员任命另一位管家再退群' using errcode = 'P0001';
  end if;
  delete from public.group_members m where m.group_id = p_group and m.user_id = v_me;
end
$$;
comment on function private.leave_group(uuid) is 'The caller leaves the group (退群); the last butler of a group cannot.';
revoke execute on function private.leave_group(uuid) from public;
grant execute on function private.leave_group(uuid) to authenticated;

create function public.leave_group(group_id uuid) returns void
language sql volatile security invoker set search_path = ''
as $$ select private.leave_group(group_id) $$;
comment on function public.leave_group(uuid) is '退群 for the caller only.';
revoke execute on function public.leave_group(uuid) from public, anon;

create function private.remove_group_member(p_group uuid, p_person uuid, p_reason text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_group public.groups;
  v_role public.group_role;
begin
  if char_length(coalesce(p_reason, '')) > 200 then
    raise exception '移出原因最多200个字' using errcode = '22023';
  end if;
  v_group := private.require_manager(p_group);
  if p_person = (select auth.uid()) then
    raise exception '不能把自己移出群，请使用退群' using errcode = '22023';
  end if;
  select m.role into v_role from public.group_members m where m.group_id = p_group and m.user_id = p_person for update;
  if v_role is null then
    raise exception '这个人不在本群里' using errcode = 'P0002';
  end if;
  if v_role = 'butler' and not private.is_admin() then
    raise exception '只有管理员可以移出创业管家' using errcode = '42501';
  end if;
  if v_role = 'butler' and not exists (
    select 1 from public.group_members m where m.group_id = p_group and m.role = 'butler' and m.user_id <> p_person
  ) then
    raise exception '每个群至少需要一位创业管家' using errcode = 'P0001';
  end if;
  delete from public.group_members m where m.group_id = p_group and m.user_id = p_person;
  perform private.notify(
    p_person, 'group_removed', left('您已被移出' || v_group.name, 40),
    left(coalesce('原因：' || nullif(btrim(p_reason), ''), '如有疑问，请联系街道创业管家。'), 200),
    '/pages/groups/index', jsonb_build_object('group_id', p_group, 'reason', coalesce(btrim(p_reason), '')),
    'group_removed:' || p_group || ':' || p_person || ':' || extract(epoch from clock_timestamp())::text, 'account_change');
end
$$;
comment on function private.remove_group_member(uuid, uuid, text) is
  'A butler of the group (or an admin) removes a member, who is told why in the message centre and by push; only admins remove butlers, and never the last one.';
revoke execute on function private.remove_group_member(uuid, uuid, text) from public;
grant execute on function private.remove_group_member(uuid, uuid, text) to authenticated;

create function public.remove_group_member(group_id uuid, person uuid, reason text default '') returns void
language sql volatile security invoker set search_path = ''
as $$ select private.remove_group_member(group_id, person, reason) $$;
comment on function public.remove_group_member(uuid, uuid, text) is '移出群成员 (the group''s butlers and admins), with a reason the person is shown.';
revoke execute on function public.remove_group_member(uuid, uuid, text) from public, anon;

-- =====================================================================================================
-- chat images: members of the group in the first folder
-- =====================================================================================================
create or replace function private.can_read_object(bucket text, name text, owner_id text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    -- Public buckets: anyone lists and signs what is there (downloads need no policy at all).
    when 'post-covers' then true
    when 'avatars' then true
    -- <group id>/<uploader id>/<file>: the members of the group; the uploader and admins also after
    -- the uploader left.
    when 'chat-images' then private.is_group_member(private.uuid_or_null((storage.foldername(name))[1]))
                            or owner_id = (select auth.uid())::text or (select private.is_admin())
    -- The applicant reads their own folder; reviewers get short-lived signed URLs made by an admin for
    -- now (the applications issue adds the reviewing butler).
    when 'application-materials' then (storage.foldername(name))[1] = (select auth.uid())::text or (select private.is_admin())
    else false
  end
$$;

create or replace function private.can_write_object(bucket text, name text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    when 'post-covers' then private.is_clean_object_name(name) and (select private.is_staff())
    when 'avatars' then private.is_in_own_folder(name, 1, 1)
    -- <group id>/<own id>/<file>, and only in a group the uploader is in.
    when 'chat-images' then private.is_in_own_folder(name, 2, 2)
                            and private.is_group_member(private.uuid_or_null((storage.foldername(name))[1]))
    -- <own id>/<application id>/<file>; the applications issue adds "while the application is editable".
    when 'application-materials' then private.is_in_own_folder(name, 2, 1)
    else false
  end
$$;

-- New functions in private are executable by PUBLIC by default; only the grants above should stand.
revoke execute on all functions in schema private from public;
