-- The question desk's clock and the butlers' workbench.
--
-- private.run_question_desk_jobs() runs every minute (pg_cron in production, scheduled below where
-- pg_cron exists; the local backend's scheduler, supabase/local/scheduler.ts, elsewhere). It
--   1. raises the overdue flag of open questions past their due time, once, and tells all the group's
--      butlers (message centre);
--   2. hands over: when a shift has ended, its butler's open questions in that group pass to the next
--      butler on duty, with a hand-over note in the question's history and an assignment notification;
--   3. passes the open questions of an owner who is no longer a butler of the group to the butler on
--      duty the same way.
-- The workbench reads butler_queue() (mine, overdue, unassigned in my groups) and desk_summary() (per
-- group: open questions, median first-answer time, share answered within target this week).

-- =====================================================================================================
-- the job
-- =====================================================================================================
create function private.run_question_desk_jobs(p_now timestamptz default now()) returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_q public.group_questions;
  v public.group_questions;
  v_shift public.group_duty_shifts;
  v_next uuid;
  v_group text;
  v_old_name text;
  v_new_name text;
  v_butler uuid;
  v_overdue integer := 0;
  v_shifts integer := 0;
  v_handed integer := 0;
begin
  -- 1. overdue, oldest first; skip locked so two runs never take the same question
  for v_q in
    select * from public.group_questions q
     where q.status = 'open' and not q.overdue and q.due_at <= p_now
     order by q.due_at
     limit 1000
     for update skip locked
  loop
    update public.group_questions q set overdue = true where q.id = v_q.id returning * into v;
    perform private.log_question_event(v, 'overdue', v_q.status);
    select g.name into v_group from public.groups g where g.id = v.group_id;
    for v_butler in select private.group_butler_ids(v.group_id) loop
      perform private.notify(
        v_butler, 'question_overdue', left('问题已超时：' || v.title, 40),
        left(v_group || '的提问已超过答复时限（' ||
             to_char(v.due_at at time zone 'Asia/Shanghai', 'MM月DD日 HH24:MI') || '），请尽快答复。', 200),
        private.question_link(v.id), jsonb_build_object('question_id', v.id, 'group_id', v.group_id, 'due_at', v.due_at),
        'question_overdue:' || v.id || ':' || v.reopened_count || ':' || v_butler);
    end loop;
    v_overdue := v_overdue + 1;
  end loop;

  -- 2. hand-over of ended shifts
  for v_shift in
    select * from public.group_duty_shifts s
     where s.handed_over_at is null and s.ends_at <= p_now
     order by s.ends_at
     limit 500
     for update skip locked
  loop
    update public.group_duty_shifts s set handed_over_at = p_now where s.id = v_shift.id;
    v_shifts := v_shifts + 1;
    -- The next butler on duty by the roster; with nobody on it, the group's other butler with the
    -- fewest open questions.
    v_next := (
      select s.butler_id from public.group_duty_shifts s
       where s.group_id = v_shift.group_id and s.starts_at <= p_now and s.ends_at > p_now
         and s.butler_id in (select private.group_butler_ids(v_shift.group_id))
       order by s.starts_at desc, s.id limit 1);
    if v_next is null then
      v_next := (
        select b.id from private.group_butler_ids(v_shift.group_id) b(id)
         where b.id <> v_shift.butler_id
         order by (select count(*) from public.group_questions q
                    where q.owner_id = b.id and q.group_id = v_shift.group_id and q.status = 'open'), b.id
         limit 1);
    end if;
    continue when v_next is null or v_next = v_shift.butler_id;
    select p.display_name into v_old_name from public.profiles p where p.id = v_shift.butler_id;
    select p.display_name into v_new_name from public.profiles p where p.id = v_next;
    for v_q in
      select * from public.group_questions q
       where q.group_id = v_shift.group_id and q.owner_id = v_shift.butler_id and q.status = 'open'
       order by q.due_at
       for update
    loop
      perform private.set_question_owner(
        v_q, v_next, 'handed_over',
        left('交接：' || coalesce(v_old_name, '') || '的值班已于' ||
             to_char(v_shift.ends_at at time zone 'Asia/Shanghai', 'MM月DD日 HH24:MI') || '结束，转交' || coalesce(v_new_name, ''), 200));
      v_handed := v_handed + 1;
    end loop;
  end loop;

  -- 3. open questions whose owner is no longer a butler of the group (left, removed, made a worker)
  --    pass to the butler on duty, like a hand-over
  for v_q in
    select * from public.group_questions q
     where q.status = 'open' and q.owner_id is not null
       and not exists (
         select 1 from public.group_members m join public.profiles p on p.id = m.user_id
          where m.group_id = q.group_id and m.user_id = q.owner_id and m.role = 'butler' and p.role in ('butler', 'admin'))
     order by q.due_at
     limit 500
     for update skip locked
  loop
    v_next := private.butler_on_duty(v_q.group_id, p_now);
    continue when v_next is null;
    select p.display_name into v_old_name from public.profiles p where p.id = v_q.owner_id;
    perform private.set_question_owner(v_q, v_next, 'handed_over',
      left('交接：' || coalesce(v_old_name, '原负责人') || '已不再担任本群创业管家', 200));
    v_handed := v_handed + 1;
  end loop;

  return jsonb_build_object('overdue', v_overdue, 'shifts_ended', v_shifts, 'handed_over', v_handed);
end
$$;
comment on function private.run_question_desk_jobs(timestamptz) is
  'The question desk''s minute job: flags overdue questions once (telling all the group''s butlers), hands the open questions of ended shifts to the next butler on duty with a hand-over note, and those of owners no longer butlers of the group to the butler on duty. Safe to run concurrently (skip locked) and again (each step once).';
revoke execute on function private.run_question_desk_jobs(timestamptz) from public;
grant execute on function private.run_question_desk_jobs(timestamptz) to service_role;

-- =====================================================================================================
-- the workbench
-- =====================================================================================================
create function private.butler_queue()
returns table (
  id uuid, group_id uuid, group_name text, title text, asker_id uuid, asker_name text, owner_id uuid,
  owner_name text, due_at timestamptz, is_overdue boolean, is_mine boolean, reopened_count integer, created_at timestamptz
)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  -- PL/pgSQL keeps this query's plan for the session; a SQL function would plan it on every call.
  return query
  select q.id, q.group_id, (select g.name from public.groups g where g.id = q.group_id), q.title, q.asker_id, a.display_name, q.owner_id, o.display_name,
         q.due_at, q.due_at <= now(), coalesce(q.owner_id = (select auth.uid()), false), q.reopened_count, q.created_at
    from public.group_questions q
    left join public.profiles a on a.id = q.asker_id
    left join public.profiles o on o.id = q.owner_id
   where q.status = 'open'
     and q.group_id = any (array(select private.butler_groups_of((select auth.uid()))))
     and (q.owner_id = (select auth.uid()) or q.owner_id is null or q.due_at <= now())
   order by q.due_at, q.created_at, q.id
   limit 200;
end
$$;
comment on function private.butler_queue() is
  'The queue''s query with its access rule written in (only the groups the caller is a butler of: the questions, their groups'' names and the names of askers and owners there are all the caller may read anyway), so no row-level policy is evaluated per row. The group list is read once (= any (array(…))): one index scan per group.';
revoke execute on function private.butler_queue() from public;
grant execute on function private.butler_queue() to authenticated, service_role;

create function public.butler_queue()
returns table (
  id uuid, group_id uuid, group_name text, title text, asker_id uuid, asker_name text, owner_id uuid,
  owner_name text, due_at timestamptz, is_overdue boolean, is_mine boolean, reopened_count integer, created_at timestamptz
)
language sql stable security invoker set search_path = ''
as $$ select * from private.butler_queue() $$;
comment on function public.butler_queue() is
  '我的待办 of the workbench: open questions in the caller''s groups (as butler) that are theirs, overdue, or unassigned, soonest due first (at most 200), with group, asker and owner names.';
revoke execute on function public.butler_queue() from public, anon;

create function public.desk_summary(for_group uuid default null)
returns table (
  group_id uuid, group_name text, open_count integer, overdue_count integer, unassigned_count integer,
  asked_this_week integer, answered_within_target_this_week numeric, median_first_answer_minutes integer
)
language plpgsql stable security invoker set search_path = ''
as $$
#variable_conflict use_column
declare
  v_week timestamptz := date_trunc('week', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai';
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if desk_summary.for_group is not null and not private.can_manage_group(desk_summary.for_group) then
    raise exception '只有本群的创业管家可以查看问答统计' using errcode = '42501';
  end if;
  return query
  select g.id, g.name,
         (select count(*)::integer from public.group_questions q where q.group_id = g.id and q.status = 'open'),
         (select count(*)::integer from public.group_questions q where q.group_id = g.id and q.status = 'open' and q.due_at <= now()),
         (select count(*)::integer from public.group_questions q where q.group_id = g.id and q.status = 'open' and q.owner_id is null),
         w.asked, w.within, w.median
    from public.groups g
    cross join lateral (
      select count(*)::integer as asked,
             round(avg(case when q.first_answered_at is not null then (q.first_answered_at <= q.due_at)::integer
                            when q.due_at <= now() then 0 end), 3) as within,
             (percentile_cont(0.5) within group (
                order by private.working_minutes_between(q.created_at, q.first_answered_at)))::integer as median
        from public.group_questions q
       where q.group_id = g.id and q.created_at >= v_week
    ) w
   where (desk_summary.for_group is null or g.id = desk_summary.for_group)
     and (g.id in (select private.butler_groups_of((select auth.uid())))
          or (desk_summary.for_group is not null and private.is_admin()))
   order by g.name;
end
$$;
comment on function public.desk_summary(uuid) is
  '问答统计 per group for its butlers (one group, or all the caller''s groups): open, overdue and unassigned questions now; questions asked this week (Monday 00:00 Beijing time), the share of them answered within the response target (of those answered or already due) and the median first-answer time in working minutes.';
revoke execute on function public.desk_summary(uuid) from public, anon;

-- =====================================================================================================
-- every minute where pg_cron exists (a hosted Supabase project); elsewhere the local scheduler runs it
-- =====================================================================================================
do $do$
begin
  if not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    raise notice 'pg_cron is not available: the question-desk job is not scheduled in this database';
    return;
  end if;
  begin
    create extension if not exists pg_cron;
  exception when others then
    raise warning 'pg_cron could not be enabled (%): the question-desk job is not scheduled', sqlerrm;
    return;
  end;
  -- Scheduling under an existing name replaces that job. Stop with: select cron.unschedule('question-desk');
  perform cron.schedule('question-desk', '* * * * *', 'select private.run_question_desk_jobs()');
end
$do$;
