-- Attack round 2 (tests/db/attack-round2.test.ts) found two holes; this closes them.
--
-- 1. A member a butler removed walked straight back in with the invite code they already knew (and with
--    the next one, which any friend in the group can read): removal meant nothing unless the butler
--    rotated the code and no member ever passed it on. Now a removal is remembered per group, and the
--    removed person can no longer join by code; they may still ask to join (申请入群), and once a butler
--    approves (or an admin adds them), the mark is gone and they are a member like any other.
--
-- 2. A butler an admin made a worker again kept the project leads assigned to them, with the workers'
--    phone numbers (my_project_leads), and could still move them. Everywhere else a butler who is no
--    longer staff loses what came with the role (private.is_group_butler, is_butler_of_person); leads
--    now follow the same rule. The leads stay assigned (an admin sees and reassigns them, and the person
--    gets them back if they are made a butler again).

-- =====================================================================================================
-- 1. removals
-- =====================================================================================================
create table private.group_removals (
  group_id uuid not null references public.groups (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  removed_by uuid references public.profiles (id) on delete set null,
  removed_at timestamptz not null default now(),
  primary key (group_id, user_id)
);
comment on table private.group_removals is
  'People a butler or admin removed from a group (移出群成员): they cannot join that group by invite code again, only by a request a butler approves. The row goes when they become a member again by any way (trigger on group_members).';
create index group_removals_user_idx on private.group_removals (user_id);
create index group_removals_removed_by_idx on private.group_removals (removed_by);
revoke all on private.group_removals from public, anon, authenticated, service_role;

create function private.forget_group_removal() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  delete from private.group_removals r where r.group_id = new.group_id and r.user_id = new.user_id;
  return null;
end
$$;
comment on function private.forget_group_removal() is
  'A person who is a member again (an approved request, an admin''s appointment) is no longer marked as removed from the group.';
revoke execute on function private.forget_group_removal() from public;

create trigger group_members_forget_removal after insert on public.group_members
  for each row execute function private.forget_group_removal();

create or replace function private.remove_group_member(p_group uuid, p_person uuid, p_reason text) returns void
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
  insert into private.group_removals (group_id, user_id, removed_by) values (p_group, p_person, (select auth.uid()))
  on conflict (group_id, user_id) do update set removed_by = excluded.removed_by, removed_at = now();
  perform private.notify(
    p_person, 'group_removed', left('您已被移出' || v_group.name, 40),
    left(coalesce('原因：' || nullif(btrim(p_reason), ''), '如有疑问，请联系街道创业管家。'), 200),
    '/pages/groups/index', jsonb_build_object('group_id', p_group, 'reason', coalesce(btrim(p_reason), '')),
    'group_removed:' || p_group || ':' || p_person || ':' || extract(epoch from clock_timestamp())::text, 'account_change');
end
$$;
comment on function private.remove_group_member(uuid, uuid, text) is
  'A butler of the group (or an admin) removes a member, who is told why in the message centre and by push and cannot rejoin by invite code (only by an approved request); only admins remove butlers, and never the last one.';

create or replace function private.join_group_by_code(p_code text) returns uuid
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
  if exists (select 1 from private.group_removals r where r.group_id = v_group.id and r.user_id = (select auth.uid()))
     and not exists (select 1 from public.group_members m where m.group_id = v_group.id and m.user_id = (select auth.uid())) then
    raise exception '您已被移出这个创业群，如需重新加入，请提交入群申请，由创业管家审核' using errcode = '42501';
  end if;
  perform private.add_member(v_group.id, (select auth.uid()));
  return v_group.id;
end
$$;
comment on function private.join_group_by_code(text) is
  'Joins the caller to the group of an invite code (case, spaces and dashes ignored); P0002 for a wrong or rotated code, 42501 for a person removed from that group (they ask to join instead).';

-- =====================================================================================================
-- 2. leads of a butler who is no longer staff
-- =====================================================================================================
drop policy "workers read their leads, butlers those assigned to them, admins all" on public.project_leads;
create policy "workers read their leads, butlers (while staff) those assigned to them, admins all" on public.project_leads
  for select to authenticated using (
    worker_id = (select auth.uid())
    or (butler_id = (select auth.uid()) and (select private.is_staff()))
    or (select private.is_admin()));

create or replace function private.my_project_leads() returns table (
  id uuid, post_id uuid, post_title text, worker_id uuid, worker_name text, worker_phone text, butler_id uuid,
  status text, note text, created_at timestamptz, updated_at timestamptz
)
language sql stable security definer set search_path = ''
as $$
  select l.id, l.post_id, p.title, l.worker_id, w.display_name,
         case when (l.butler_id = (select auth.uid()) and private.is_staff()) or l.worker_id = (select auth.uid()) then c.phone end,
         l.butler_id, l.status, l.note, l.created_at, l.updated_at
    from public.project_leads l
    join public.posts p on p.id = l.post_id
    join public.profiles w on w.id = l.worker_id
    left join public.profile_contacts c on c.user_id = l.worker_id
   where l.worker_id = (select auth.uid())
      or (l.butler_id = (select auth.uid()) and private.is_staff())
      or private.is_admin()
   order by (l.status = 'open') desc, l.created_at desc, l.id
$$;
comment on function private.my_project_leads() is
  'Leads the caller may see (their own as a worker, assigned ones as a butler while staff, all for admins), with the worker''s phone only for the assigned butler (while staff) and the worker.';

create or replace function private.set_project_lead_status(p_lead uuid, p_status text) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_lead public.project_leads;
  v_assigned boolean;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v_lead from public.project_leads l where l.id = p_lead for update;
  v_assigned := v_lead.butler_id = (select auth.uid()) and private.is_staff();
  if v_lead.id is null or not (coalesce(v_assigned, false) or private.is_admin() or v_lead.worker_id = (select auth.uid())) then
    raise exception '找不到这条意向登记' using errcode = 'P0002';
  end if;
  if not (coalesce(v_assigned, false) or private.is_admin()) then
    raise exception '只有负责的创业管家可以更新意向登记' using errcode = '42501', hint = 'not_assigned';
  end if;
  if p_status is null or p_status not in ('contacted', 'closed') then
    raise exception '状态只能改为“已联系”或“已结束”' using errcode = '22023', hint = 'status';
  end if;
  if v_lead.status = 'closed' or (v_lead.status = 'contacted' and p_status = 'contacted') then
    raise exception '这条意向登记已经是这个状态或已结束' using errcode = 'P0001', hint = 'transition';
  end if;
  update public.project_leads l set status = p_status where l.id = p_lead;
  return p_lead;
end
$$;
comment on function private.set_project_lead_status(uuid, text) is
  'open → contacted → closed (or open → closed), by the assigned butler while staff, or an admin.';

revoke execute on all functions in schema private from public;
