-- 我感兴趣: a worker's interest in a startup project becomes a lead for a butler, who calls them back.
--
-- The butler is chosen by private.lead_owner_for(person): for now, a butler of the worker's street, else
-- of their district, else any butler, the one with the fewest open leads (the groups work will make it
-- the butler on duty in the person's group). The butler is notified and sees the lead in their
-- workbench (my_project_leads), with the worker's phone number if the worker bound one. One lead per
-- worker and project: asking again returns the same lead.

create table public.project_leads (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references public.posts (id) on delete cascade,
  worker_id uuid not null references public.profiles (id) on delete cascade,
  butler_id uuid references public.profiles (id) on delete set null,
  status text not null default 'open' check (status in ('open', 'contacted', 'closed')),
  note text not null default '' check (char_length(note) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (worker_id, post_id)
);
comment on table public.project_leads is
  'A worker''s interest in a project (我感兴趣), assigned to a butler who contacts them: open → contacted → closed. Created by express_project_interest, moved by set_project_lead_status.';
comment on column public.project_leads.note is 'What the worker added (留言), up to 200 characters.';
create index project_leads_post_idx on public.project_leads (post_id);
create index project_leads_butler_idx on public.project_leads (butler_id, status, created_at desc);

alter table public.project_leads enable row level security;
revoke all on public.project_leads from anon, authenticated;
grant select on public.project_leads to authenticated;

create policy "workers read their leads, butlers those assigned to them, admins all" on public.project_leads
  for select to authenticated using (
    worker_id = (select auth.uid()) or butler_id = (select auth.uid()) or (select private.is_admin()));

create trigger project_leads_touch before update on public.project_leads
  for each row execute function private.touch_updated_at();

-- =====================================================================================================
-- who gets the lead
-- =====================================================================================================
create function private.lead_owner_for(person uuid) returns uuid
language sql stable security definer set search_path = ''
as $$
  select b.id
    from public.profiles b
    cross join (select w.district from public.profiles w where w.id = person) w
   where b.role = 'butler' and b.id <> person
   order by case when b.district = w.district then 0
                 when (private.regions_of(b.district))[2] = (private.regions_of(w.district))[2] then 1
                 else 2 end,
            (select count(*) from public.project_leads l where l.butler_id = b.id and l.status = 'open'),
            b.id
   limit 1
$$;
comment on function private.lead_owner_for(uuid) is
  'The butler who gets a person''s project lead: of their street, else their district, else any; the fewest open leads first. The groups work replaces this with the butler on duty in the person''s group.';
revoke execute on function private.lead_owner_for(uuid) from public;

-- =====================================================================================================
-- 我感兴趣
-- =====================================================================================================
create function private.express_project_interest(p_post uuid, p_note text) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  v_post public.posts;
  v_lead public.project_leads;
  v_butler uuid;
  v_name text;
  v_note text := btrim(coalesce(p_note, ''));
begin
  if v_user is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if private.current_app_role() <> 'worker' then
    raise exception '只有职工可以登记项目意向' using errcode = '42501', hint = 'workers_only';
  end if;
  if char_length(v_note) > 200 then
    raise exception '留言最多200个字' using errcode = '22023', hint = 'note';
  end if;
  if not private.can_see_post(p_post) then
    raise exception '找不到这篇资讯' using errcode = 'P0002';
  end if;
  select * into v_post from public.posts p where p.id = p_post;
  if v_post.kind <> 'project' or v_post.status <> 'published' or v_post.published_at > now() then
    raise exception '只有已发布的创业项目可以登记意向' using errcode = '22023', hint = 'not_a_project';
  end if;
  if v_post.archived_at is not null then
    raise exception '这个项目已归档，不再登记意向' using errcode = 'P0001', hint = 'archived';
  end if;

  -- one lead per worker and project, also when two taps race
  perform 1 from public.profiles p where p.id = v_user for update;
  select * into v_lead from public.project_leads l where l.worker_id = v_user and l.post_id = p_post;
  if v_lead.id is not null then
    if v_note <> '' and v_note <> v_lead.note then
      update public.project_leads l set note = v_note where l.id = v_lead.id;
    end if;
    return v_lead.id;
  end if;

  v_butler := private.lead_owner_for(v_user);
  insert into public.project_leads (post_id, worker_id, butler_id, note)
  values (p_post, v_user, v_butler, v_note)
  returning * into v_lead;
  if v_butler is not null then
    select p.display_name into v_name from public.profiles p where p.id = v_user;
    perform private.notify(
      v_butler,
      'project_lead',
      '新的项目意向登记',
      left(coalesce(v_name, '一位职工') || '对“' || v_post.title || '”感兴趣，请尽快联系。', 200),
      '/subpackages/posts/pages/leads/index',
      jsonb_build_object('lead_id', v_lead.id, 'post_id', p_post, 'worker_id', v_user),
      'project_lead:' || v_lead.id,
      'project_lead');
  end if;
  return v_lead.id;
end
$$;
comment on function private.express_project_interest(uuid, text) is
  'Creates the caller''s lead for a visible, published project (workers only) and notifies the butler it is assigned to; a second call returns the same lead (a new note replaces the old).';
revoke execute on function private.express_project_interest(uuid, text) from public;
grant execute on function private.express_project_interest(uuid, text) to authenticated;

create function public.express_project_interest(post_id uuid, note text default null) returns public.project_leads
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid;
  v_row public.project_leads;
begin
  v_id := private.express_project_interest(post_id, note);
  select * into v_row from public.project_leads l where l.id = v_id;
  return v_row;
end
$$;
comment on function public.express_project_interest(uuid, text) is '我感兴趣 on a project: the caller''s lead (new or existing).';
revoke execute on function public.express_project_interest(uuid, text) from public, anon;

-- =====================================================================================================
-- the butler's workbench
-- =====================================================================================================
create function private.my_project_leads() returns table (
  id uuid, post_id uuid, post_title text, worker_id uuid, worker_name text, worker_phone text, butler_id uuid,
  status text, note text, created_at timestamptz, updated_at timestamptz
)
language sql stable security definer set search_path = ''
as $$
  select l.id, l.post_id, p.title, l.worker_id, w.display_name,
         case when l.butler_id = (select auth.uid()) or l.worker_id = (select auth.uid()) then c.phone end,
         l.butler_id, l.status, l.note, l.created_at, l.updated_at
    from public.project_leads l
    join public.posts p on p.id = l.post_id
    join public.profiles w on w.id = l.worker_id
    left join public.profile_contacts c on c.user_id = l.worker_id
   where l.worker_id = (select auth.uid()) or l.butler_id = (select auth.uid()) or private.is_admin()
   order by (l.status = 'open') desc, l.created_at desc, l.id
$$;
comment on function private.my_project_leads() is
  'Leads the caller may see (their own as a worker, assigned ones as a butler, all for admins), with the worker''s phone only for the assigned butler and the worker.';
revoke execute on function private.my_project_leads() from public;
grant execute on function private.my_project_leads() to authenticated;

create function public.my_project_leads() returns table (
  id uuid, post_id uuid, post_title text, worker_id uuid, worker_name text, worker_phone text, butler_id uuid,
  status text, note text, created_at timestamptz, updated_at timestamptz
)
language sql stable security invoker set search_path = ''
as $$ select * from private.my_project_leads() $$;
comment on function public.my_project_leads() is
  '意向登记 (workbench): open first, then newest; the worker''s phone is shown to the butler the lead is assigned to.';
revoke execute on function public.my_project_leads() from public, anon;

create function private.set_project_lead_status(p_lead uuid, p_status text) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_lead public.project_leads;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v_lead from public.project_leads l where l.id = p_lead for update;
  if v_lead.id is null or not (v_lead.butler_id = (select auth.uid()) or private.is_admin() or v_lead.worker_id = (select auth.uid())) then
    raise exception '找不到这条意向登记' using errcode = 'P0002';
  end if;
  if not (v_lead.butler_id = (select auth.uid()) or private.is_admin()) then
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
comment on function private.set_project_lead_status(uuid, text) is 'open → contacted → closed (or open → closed), by the assigned butler or an admin.';
revoke execute on function private.set_project_lead_status(uuid, text) from public;
grant execute on function private.set_project_lead_status(uuid, text) to authenticated;

create function public.set_project_lead_status(lead_id uuid, status text) returns public.project_leads
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid;
  v_row public.project_leads;
begin
  v_id := private.set_project_lead_status(lead_id, status);
  select * into v_row from public.project_leads l where l.id = v_id;
  return v_row;
end
$$;
comment on function public.set_project_lead_status(uuid, text) is '已联系 / 已结束 a lead: the assigned butler or an admin.';
revoke execute on function public.set_project_lead_status(uuid, text) from public, anon;

revoke execute on all functions in schema private from public;
