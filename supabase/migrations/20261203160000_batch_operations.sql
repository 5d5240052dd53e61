-- The monthly batch (集中申报) after the approvals (issue 12, batches-db): the minute job that locks
-- batches at their cut-off and opens the 公示, the butlers' batch list and page, the completeness check,
-- the roster export (with its audit row), filing with the bureau and the disbursement of each
-- application, then the 公示 itself: the public list with masked names, objections and their answers.
--
-- Who: the butlers of a street (private.is_street_butler: a butler of any group whose district is the
-- street) and admins manage the street's batches; everyone signed in reads the 公示 and may object while
-- the window is open. Every change locks the batch row (FOR UPDATE) first, so a filing, the job and an
-- approval (which holds the batch FOR SHARE, private.open_batch_for) never interleave.

-- =====================================================================================================
-- shared steps
-- =====================================================================================================
create function private.batch_label(p_batch public.application_batches) returns text
language sql immutable set search_path = ''
as $$ select p_batch.street || to_char(p_batch.month, 'YYYY"年"FMMM"月"') || '批次' $$;
comment on function private.batch_label(public.application_batches) is 'A batch as messages name it: 四方区兴隆路街道2026年12月批次.';

create function private.shanghai_time(p_at timestamptz) returns text
language sql stable set search_path = ''
as $$ select to_char(p_at at time zone 'Asia/Shanghai', 'FMMM"月"FMDD"日" HH24:MI') $$;
comment on function private.shanghai_time(timestamptz) is 'A moment as people in Qingdao read it: 12月30日 17:30.';

create function private.yuan(p_amount numeric) returns text
language sql immutable set search_path = ''
as $$ select to_char(p_amount, 'FM999999990.00') $$;
comment on function private.yuan(numeric) is 'An amount in yuan with two decimals, for messages.';

create function private.batch_review_link(p_batch uuid) returns text
language sql immutable set search_path = ''
as $$ select '/subpackages/review/pages/batch/index?id=' || p_batch::text $$;
comment on function private.batch_review_link(uuid) is 'The butlers'' page of a batch: where their notifications lead.';

create function private.publicity_link(p_batch uuid) returns text
language sql immutable set search_path = ''
as $$ select '/subpackages/apply/pages/publicity/index?batch=' || p_batch::text $$;
comment on function private.publicity_link(uuid) is 'The public 公示 page of a batch: where objection answers lead.';

create function private.street_butler_ids(p_street text) returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select distinct m.user_id
    from public.groups g
    join public.group_members m on m.group_id = g.id and m.role = 'butler'
    join public.profiles p on p.id = m.user_id and p.role in ('butler', 'admin')
   where g.district = p_street
$$;
comment on function private.street_butler_ids(text) is 'The butlers (while staff) of every group of a street: who is told about its batch.';

create function private.can_manage_batch(p_batch public.application_batches) returns boolean
language sql stable security definer set search_path = ''
as $$ select private.is_street_butler(p_batch.street) or private.is_admin() $$;
comment on function private.can_manage_batch(public.application_batches) is 'The street''s butlers and admins manage a batch.';

create function private.batch_for_staff(p_id uuid, p_lock boolean) returns public.application_batches
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.application_batches;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not private.is_staff() then
    raise exception '只有创业管家可以处理申报批次' using errcode = '42501';
  end if;
  if p_lock then
    select * into v from public.application_batches b where b.id = p_id for update;
  else
    select * into v from public.application_batches b where b.id = p_id;
  end if;
  if v.id is null or not private.can_manage_batch(v) then
    raise exception '找不到该申报批次' using errcode = 'P0002';
  end if;
  return v;
end
$$;
comment on function private.batch_for_staff(uuid, boolean) is
  'The batch for its street''s butlers and admins (locked FOR UPDATE when asked): 42501 for someone not signed in or not staff, P0002 for a batch that does not exist or is another street''s.';

create function private.public_copy(p public.applications) returns public.applications
language plpgsql immutable set search_path = ''
as $$
begin
  p.resident_id := null;
  p.bank_account := null;
  return p;
end
$$;
comment on function private.public_copy(public.applications) is
  'The row as the API hands it out: resident_id and bank_account blank (their masked columns stay).';

create function private.log_batch_step(p_app public.applications, p_from public.application_status, p_note text, p_detail jsonb)
returns bigint
language sql volatile security definer set search_path = ''
as $$
  insert into public.application_events (application_id, actor_id, from_status, to_status, note, detail)
  values (p_app.id, (select auth.uid()), p_from, p_app.status, left(coalesce(p_note, ''), 500), coalesce(p_detail, '{}'))
  returning id
$$;
comment on function private.log_batch_step(public.applications, public.application_status, text, jsonb) is
  'Appends the history row of a batch step (filed, disbursed, not disbursed, credit code confirmed), as the caller.';

create function private.tell_applicant(p_app public.applications, p_event bigint, p_title text, p_body text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.notify(
    p_app.applicant_id, 'application_status', left(p_title, 40), left(p_body, 200),
    '/subpackages/apply/pages/detail/index?id=' || p_app.id::text,
    jsonb_build_object('application_id', p_app.id, 'status', p_app.status, 'batch_id', p_app.batch_id),
    'application:' || p_app.id::text || ':' || p_event::text, 'application_status');
end
$$;
comment on function private.tell_applicant(public.applications, bigint, text, text) is
  'Tells the applicant about a batch step of their application: message centre, and a WeChat push where they subscribed (application_status), once per history row.';

create function private.programme_name_of(p_programme uuid) returns text
language sql stable security definer set search_path = ''
as $$ select s.name from public.subsidy_programmes s where s.id = p_programme $$;
comment on function private.programme_name_of(uuid) is 'A programme''s name, for messages.';

-- =====================================================================================================
-- the minute job: lock batches at their cut-off, open the 公示
-- =====================================================================================================
create function private.run_application_jobs(p_now timestamptz default now()) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_b public.application_batches;
  v_label text;
  v_until text;
  v_app record;
  v_butler uuid;
  v_count integer;
  v_total numeric;
  v_locked integer := 0;
begin
  -- FOR UPDATE (no skip): an approval that holds the batch FOR SHARE (private.open_batch_for) commits
  -- first and is in the batch when it locks; a second run waits and then finds it locked (the WHERE is
  -- checked again on the row it waited for).
  for v_b in
    select * from public.application_batches b
     where b.status = 'open' and b.cutoff_at <= p_now
     order by b.cutoff_at, b.id
     limit 100
     for update
  loop
    update public.application_batches b
       set status = 'locked', locked_at = p_now, publicity_until = p_now + interval '5 days'
     where b.id = v_b.id
    returning * into v_b;
    v_label := private.batch_label(v_b);
    v_until := private.shanghai_time(v_b.publicity_until);
    v_count := 0;
    v_total := 0;
    for v_app in
      select a.id, a.applicant_id, a.approved_amount, s.name as programme_name
        from public.applications a join public.subsidy_programmes s on s.id = a.programme_id
       where a.batch_id = v_b.id and a.status = 'approved'
    loop
      v_count := v_count + 1;
      v_total := v_total + coalesce(v_app.approved_amount, 0);
      perform private.notify(
        v_app.applicant_id, 'application_publicity', '申报已进入公示',
        left('您的「' || v_app.programme_name || '」申报已核定' || private.yuan(v_app.approved_amount) || '元，随' ||
             v_label || '进入公示，公示期至' || v_until || '。公示结束后由街道统一报送人社局。', 200),
        '/subpackages/apply/pages/detail/index?id=' || v_app.id::text,
        jsonb_build_object('application_id', v_app.id, 'batch_id', v_b.id, 'publicity_until', v_b.publicity_until),
        'application_publicity:' || v_app.id::text || ':' || v_b.id::text, 'application_status');
    end loop;
    for v_butler in select private.street_butler_ids(v_b.street) loop
      perform private.notify(
        v_butler, 'batch_locked', '申报批次已截止',
        left(v_label || '已截止，共' || v_count || '份申报，核定金额合计' || private.yuan(v_total) || '元，公示期至' ||
             v_until || '。请检查完整性、答复异议，公示结束后导出名册并标记已申报。', 200),
        private.batch_review_link(v_b.id), jsonb_build_object('batch_id', v_b.id),
        'batch_locked:' || v_b.id::text || ':' || v_butler::text);
    end loop;
    v_locked := v_locked + 1;
  end loop;
  return v_locked;
end
$$;
comment on function private.run_application_jobs(timestamptz) is
  'The applications'' minute job (pg_cron, or the local scheduler): locks every open batch whose cut-off has passed (locked_at now, 公示 until five days later), tells each applicant in it (已进入公示) and the street''s butlers. Safe to run concurrently and again. Returns how many batches it locked.';
revoke execute on function private.run_application_jobs(timestamptz) from public;
grant execute on function private.run_application_jobs(timestamptz) to service_role;

create function public.run_application_jobs() returns integer
language sql volatile security invoker set search_path = ''
as $$ select private.run_application_jobs(now()) $$;
comment on function public.run_application_jobs() is
  'The applications'' minute job, for the service role: locks batches past their cut-off and opens their 公示. Returns how many it locked.';
revoke execute on function public.run_application_jobs() from public, anon, authenticated;
grant execute on function public.run_application_jobs() to service_role;

-- =====================================================================================================
-- the butlers' list of batches and the batch page
-- =====================================================================================================
create index applications_batch_order_idx on public.applications (batch_id, decided_at, id) where batch_id is not null;
comment on index public.applications_batch_order_idx is 'A batch''s applications in the order they joined it: the batch page''s pages and the roster''s 序号.';

create function private.application_batches_for_me()
returns table (
  id uuid, street text, month date, cutoff_at timestamptz, status public.batch_status, locked_at timestamptz,
  publicity_until timestamptz, filed_at timestamptz, filed_by uuid, filed_by_name text, closed_at timestamptz,
  applications integer, approved_total numeric, settled integer, objections_open integer
)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_admin boolean := private.is_admin();
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not private.is_staff() then
    raise exception '只有创业管家可以查看申报批次' using errcode = '42501';
  end if;
  return query
  select b.id, b.street, b.month, b.cutoff_at, b.status, b.locked_at, b.publicity_until, b.filed_at, b.filed_by,
         (select p.display_name from public.profiles p where p.id = b.filed_by), b.closed_at,
         c.n, c.total, c.settled,
         (select count(*)::integer from public.batch_objections o where o.batch_id = b.id and o.answered_at is null)
    from public.application_batches b
    cross join lateral (
      select count(*)::integer as n, coalesce(sum(a.approved_amount), 0)::numeric as total,
             (count(*) filter (where a.status in ('disbursed', 'not_disbursed')))::integer as settled
        from public.applications a where a.batch_id = b.id
    ) c
   where v_admin or b.street in (select g.district from public.groups g where g.id in (select private.my_review_group_ids()))
   order by b.month desc, b.street
   limit 200;
end
$$;
comment on function private.application_batches_for_me() is
  'The batches of the caller''s streets (admins: all), newest month first, with their counts: applications, approved total, settled (disbursed or not) and unanswered objections.';

create function public.application_batches_for_me()
returns table (
  id uuid, street text, month date, cutoff_at timestamptz, status public.batch_status, locked_at timestamptz,
  publicity_until timestamptz, filed_at timestamptz, filed_by uuid, filed_by_name text, closed_at timestamptz,
  applications integer, approved_total numeric, settled integer, objections_open integer
)
language sql stable security invoker set search_path = ''
as $$ select * from private.application_batches_for_me() $$;
comment on function public.application_batches_for_me() is
  '集中申报批次 for butlers and admins: the batches of their streets, newest first, with applications, approved total, settled and open objections.';
revoke execute on function public.application_batches_for_me() from public, anon;

create function private.batch_applications(p_batch uuid, p_status public.application_status, p_max integer, p_after uuid)
returns table (
  id uuid, applicant_id uuid, applicant_name text, real_name text, real_name_masked text, resident_id_masked text,
  bank_account_masked text, phone text, business_name text, credit_code text, credit_code_needs_review boolean,
  programme_id uuid, programme_name text, group_id uuid, status public.application_status, requested_amount numeric,
  approved_amount numeric, reviewer_id uuid, reviewer_name text, decided_at timestamptz, disbursed_at timestamptz,
  disburse_note text
)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_b public.application_batches;
  v_after_at timestamptz;
begin
  select * into v_b from public.application_batches b where b.id = p_batch;
  if (select auth.uid()) is null or not private.is_staff() then
    raise exception '只有创业管家可以查看申报批次' using errcode = '42501';
  end if;
  if v_b.id is null or not private.can_manage_batch(v_b) then
    raise exception '找不到该申报批次' using errcode = 'P0002';
  end if;
  if p_after is not null then
    select a.decided_at into v_after_at from public.applications a where a.id = p_after and a.batch_id = p_batch;
  end if;
  return query
  select a.id, a.applicant_id, ap.display_name, a.real_name, a.real_name_masked, a.resident_id_masked,
         a.bank_account_masked, a.phone, a.business_name, a.credit_code, a.credit_code_needs_review,
         a.programme_id, s.name, a.group_id, a.status, a.requested_amount, a.approved_amount, a.reviewer_id,
         rv.display_name, a.decided_at, a.disbursed_at, a.disburse_note
    from public.applications a
    join public.subsidy_programmes s on s.id = a.programme_id
    left join public.profiles ap on ap.id = a.applicant_id
    left join public.profiles rv on rv.id = a.reviewer_id
   where a.batch_id = p_batch
     and (p_status is null or a.status = p_status)
     and (p_after is null or (a.decided_at, a.id) > (v_after_at, p_after))
   order by a.decided_at, a.id
   limit least(greatest(coalesce(p_max, 100), 1), 500);
end
$$;
comment on function private.batch_applications(uuid, public.application_status, integer, uuid) is
  'One page of a batch''s applications in the order they joined it (masked resident ID and bank account), for the street''s butlers and admins.';

create function public.batch_applications(
  batch_id uuid, status_filter public.application_status default null, max_rows integer default 100, after_id uuid default null
)
returns table (
  id uuid, applicant_id uuid, applicant_name text, real_name text, real_name_masked text, resident_id_masked text,
  bank_account_masked text, phone text, business_name text, credit_code text, credit_code_needs_review boolean,
  programme_id uuid, programme_name text, group_id uuid, status public.application_status, requested_amount numeric,
  approved_amount numeric, reviewer_id uuid, reviewer_name text, decided_at timestamptz, disbursed_at timestamptz,
  disburse_note text
)
language sql stable security invoker set search_path = ''
as $$ select * from private.batch_applications(batch_id, status_filter, max_rows, after_id) $$;
comment on function public.batch_applications(uuid, public.application_status, integer, uuid) is
  '批次申报 for the street''s butlers and admins: a page (max_rows, at most 500; after_id = the last row''s id for the next page) of the batch''s applications in the order they joined, with masked resident ID and bank account; status_filter narrows it (e.g. filed, to mark disbursements).';
revoke execute on function public.batch_applications(uuid, public.application_status, integer, uuid) from public, anon;

-- =====================================================================================================
-- completeness
-- =====================================================================================================
create function private.batch_problems(p_batch uuid)
returns table (application_id uuid, problem text)
language sql stable security definer set search_path = ''
as $$
  with apps as materialized (
    select a.id, a.decided_at, a.programme_id, a.real_name, a.resident_id, a.phone, a.bank_name, a.bank_account,
           a.business_name, a.credit_code, a.credit_code_needs_review, a.approved_amount
      from public.applications a
     where a.batch_id = p_batch and a.status in ('approved', 'filed')
  ),
  -- Each programme's rules read once, not once per application.
  programmes as materialized (
    select s.id,
           exists (select 1 from jsonb_array_elements(s.eligibility) r
                    where r->>'rule' in ('has_business', 'registered_within_months', 'employees_at_least')) as needs_business,
           array(select jsonb_build_array(m->>'key', coalesce(m->>'name', m->>'key')) from jsonb_array_elements(s.materials) m
                  where coalesce((m->>'required')::boolean, false)) as required
      from public.subsidy_programmes s
     where s.id in (select apps.programme_id from apps)
  ),
  problems as (
    select a.id, a.decided_at, x.ord, x.problem
      from apps a
      join programmes p on p.id = a.programme_id
     cross join lateral (values
       (1, case when a.real_name is null then '缺少姓名' end),
       (2, case when a.resident_id is null then '缺少身份证号' end),
       (3, case when a.phone is null then '缺少联系电话' end),
       (4, case when a.bank_name is null then '缺少开户银行' end),
       (5, case when a.bank_account is null then '缺少银行账号' end),
       (6, case when p.needs_business and a.business_name is null then '缺少企业名称' end),
       (7, case when p.needs_business and a.credit_code is null then '缺少统一社会信用代码' end),
       (8, case when a.credit_code is not null and a.credit_code_needs_review then '统一社会信用代码未通过校验，请人工核对后确认' end),
       (9, case when a.approved_amount is null then '缺少核定金额' end)
     ) x(ord, problem)
     where x.problem is not null
    union all
    -- One index range per application (its few materials), then the required keys checked in memory.
    select a.id, a.decided_at, 10, '缺少材料：' || (r.m->>1)
      from apps a
      join programmes p on p.id = a.programme_id
     cross join lateral (select coalesce(array_agg(am.material_key), '{}') as keys
                           from public.application_materials am where am.application_id = a.id) h
     cross join lateral unnest(p.required) r(m)
     where not (h.keys @> array[r.m->>0])
  )
  select p.id, p.problem from problems p order by p.decided_at, p.id, p.ord, p.problem
$$;
comment on function private.batch_problems(uuid) is
  'What keeps a batch from being filed, per application: a missing name, resident ID, phone, bank or account, a missing business name or credit code (programmes for a business), a credit code flagged by the check digit and not yet confirmed, a missing approved amount, a required material with no file.';

create function private.batch_completeness(p_batch uuid) returns table (application_id uuid, problem text)
language plpgsql stable security definer set search_path = ''
as $$
begin
  perform private.batch_for_staff(p_batch, false);
  return query select * from private.batch_problems(p_batch);
end
$$;
comment on function private.batch_completeness(uuid) is 'The completeness check of a batch for its street''s butlers and admins.';

create function public.batch_completeness(batch_id uuid) returns table (application_id uuid, problem text)
language sql stable security invoker set search_path = ''
as $$ select * from private.batch_completeness(batch_id) $$;
comment on function public.batch_completeness(uuid) is
  '完整性检查: each problem (in Chinese) that keeps an application of the batch from being filed; empty when the batch is complete.';
revoke execute on function public.batch_completeness(uuid) from public, anon;

create function private.confirm_credit_code(p_app uuid) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.applications;
  v_batch public.application_batches;
  v_event bigint;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v from public.applications a where a.id = p_app for update;
  select * into v_batch from public.application_batches b where b.id = v.batch_id;
  if v.id is null or not private.is_staff()
     or not (v.group_id in (select private.my_review_group_ids()) or private.is_admin()
             or (v_batch.id is not null and private.is_street_butler(v_batch.street))) then
    raise exception '找不到这份申报' using errcode = 'P0002';
  end if;
  if v.status not in ('submitted', 'under_review', 'approved') then
    raise exception '该申报当前状态不能确认统一社会信用代码' using errcode = 'P0001';
  end if;
  if not v.credit_code_needs_review then
    return private.public_copy(v);
  end if;
  update public.applications a set credit_code_needs_review = false where a.id = v.id returning * into v;
  v_event := private.log_batch_step(v, v.status, '已人工核对统一社会信用代码', jsonb_build_object('credit_code_confirmed', true));
  return private.public_copy(v);
end
$$;
comment on function private.confirm_credit_code(uuid) is
  'A reviewer (the group''s butlers, the batch''s street butlers, admins) confirms by hand a credit code the check digit flagged: the flag is cleared with a history row. Idempotent.';

create function public.confirm_credit_code(application_id uuid) returns public.applications
language sql volatile security invoker set search_path = ''
as $$ select * from private.confirm_credit_code(application_id) $$;
comment on function public.confirm_credit_code(uuid) is
  '人工核对统一社会信用代码: clears the check-digit flag after a butler checked the code by hand (recorded in the history).';
revoke execute on function public.confirm_credit_code(uuid) from public, anon;

-- =====================================================================================================
-- the roster export, with its audit row
-- =====================================================================================================
create function private.batch_export_rows(p_batch uuid)
returns table (
  seq integer, real_name text, resident_id text, phone text, business_name text, credit_code text,
  programme_name text, requested_amount numeric, approved_amount numeric, handler text
)
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_b public.application_batches := private.batch_for_staff(p_batch, false);
  v_rows integer;
begin
  if v_b.status = 'open' then
    raise exception '该批次尚未截止，截止后才能导出名册' using errcode = 'P0001';
  end if;
  select count(*)::integer into v_rows from public.applications a
   where a.batch_id = p_batch and a.status in ('approved', 'filed', 'disbursed', 'not_disbursed');
  insert into public.batch_exports (batch_id, actor_id, rows) values (p_batch, (select auth.uid()), v_rows);
  return query
  select (row_number() over (order by a.decided_at, a.id))::integer, a.real_name, a.resident_id, a.phone,
         a.business_name, a.credit_code, s.name, a.requested_amount, a.approved_amount, rv.display_name
    from public.applications a
    join public.subsidy_programmes s on s.id = a.programme_id
    left join public.profiles rv on rv.id = a.reviewer_id
   where a.batch_id = p_batch and a.status in ('approved', 'filed', 'disbursed', 'not_disbursed')
   order by a.decided_at, a.id;
end
$$;
comment on function private.batch_export_rows(uuid) is
  'The roster of a locked, filed or closed batch with full resident IDs, for the street''s butlers and admins; every call writes a batch_exports row.';

create function public.batch_export_rows(batch_id uuid)
returns table (
  seq integer, real_name text, resident_id text, phone text, business_name text, credit_code text,
  programme_name text, requested_amount numeric, approved_amount numeric, handler text
)
language sql volatile security invoker set search_path = ''
as $$ select * from private.batch_export_rows(batch_id) $$;
comment on function public.batch_export_rows(uuid) is
  '申报名册 rows (序号, 姓名, 身份证号, 联系电话, 企业名称, 统一社会信用代码, 补贴项目, 申请金额, 核定金额, 经办人) of a locked batch, recorded in batch_exports. Through the API a response holds at most 1,000 rows: the application-export function uses batch_export (one JSON value) instead.';
revoke execute on function public.batch_export_rows(uuid) from public, anon;

create function private.batch_export(p_batch uuid) returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_b public.application_batches := private.batch_for_staff(p_batch, false);
  v_rows jsonb;
begin
  select coalesce(jsonb_agg(to_jsonb(r) order by r.seq), '[]') into v_rows from private.batch_export_rows(p_batch) r;
  return jsonb_build_object('batch_id', v_b.id, 'street', v_b.street, 'month', v_b.month, 'status', v_b.status, 'rows', v_rows);
end
$$;
comment on function private.batch_export(uuid) is 'The roster of a batch as one JSON value (street, month, rows), recorded in batch_exports like batch_export_rows.';

create function public.batch_export(batch_id uuid) returns jsonb
language sql volatile security invoker set search_path = ''
as $$ select private.batch_export(batch_id) $$;
comment on function public.batch_export(uuid) is
  '申报名册 as one JSON value {batch_id, street, month, status, rows: [...]} for the application-export function (no row limit applies to one value); recorded in batch_exports.';
revoke execute on function public.batch_export(uuid) from public, anon;

-- =====================================================================================================
-- filing with the bureau, and each application's disbursement
-- =====================================================================================================
create function private.mark_batch_filed(p_batch uuid) returns public.application_batches
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_b public.application_batches := private.batch_for_staff(p_batch, true);
  v_label text := private.batch_label(v_b);
  v_n integer;
  v_app public.applications;
  v_event bigint;
begin
  if v_b.status = 'open' then
    raise exception '该批次尚未截止，截止并公示结束后才能标记已申报' using errcode = 'P0001';
  elsif v_b.status in ('filed', 'closed') then
    raise exception '该批次已标记为已申报' using errcode = 'P0001';
  end if;
  if now() < v_b.publicity_until then
    raise exception '公示期至%结束，公示结束后才能标记已申报', private.shanghai_time(v_b.publicity_until) using errcode = 'P0001';
  end if;
  select count(*) into v_n from public.batch_objections o where o.batch_id = v_b.id and o.answered_at is null;
  if v_n > 0 then
    raise exception '还有%条公示异议未答复，请先答复', v_n using errcode = 'P0001';
  end if;
  select count(*) into v_n from private.batch_problems(v_b.id);
  if v_n > 0 then
    raise exception '完整性检查还有%个问题未解决，请先处理', v_n using errcode = 'P0001';
  end if;
  if not exists (select 1 from public.applications a where a.batch_id = v_b.id and a.status = 'approved') then
    raise exception '该批次没有待申报的申请' using errcode = 'P0001';
  end if;
  update public.application_batches b set status = 'filed', filed_at = now(), filed_by = (select auth.uid())
   where b.id = v_b.id returning * into v_b;
  for v_app in
    update public.applications a set status = 'filed'
     where a.batch_id = v_b.id and a.status = 'approved'
    returning *
  loop
    v_event := private.log_batch_step(v_app, 'approved', '已随' || v_label || '报送人社局', jsonb_build_object('batch_id', v_b.id));
    perform private.tell_applicant(v_app, v_event, '申报已报送人社局',
      '您的「' || private.programme_name_of(v_app.programme_id) || '」申报（核定' || private.yuan(v_app.approved_amount) ||
      '元）已随' || v_label || '报送人社局，发放结果出来后会通知您。');
  end loop;
  return v_b;
end
$$;
comment on function private.mark_batch_filed(uuid) is
  '标记已申报: locked → filed once the 公示 is over, every objection answered and the completeness check empty; each approved application → filed with a history row and a notification.';

create function public.mark_batch_filed(batch_id uuid) returns public.application_batches
language sql volatile security invoker set search_path = ''
as $$ select * from private.mark_batch_filed(batch_id) $$;
comment on function public.mark_batch_filed(uuid) is
  '标记已申报 (the street''s butlers, admins): refused in Chinese while the 公示 runs, an objection waits for its answer or the completeness check finds a problem.';
revoke execute on function public.mark_batch_filed(uuid) from public, anon;

create function private.mark_application_disbursed(p_app uuid, p_disbursed boolean, p_note text) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.applications;
  v_b public.application_batches;
  v_note text := btrim(coalesce(p_note, ''));
  v_event bigint;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not private.is_staff() then
    raise exception '只有创业管家可以标记发放结果' using errcode = '42501';
  end if;
  select * into v from public.applications a where a.id = p_app for update;
  select * into v_b from public.application_batches b where b.id = v.batch_id;
  if v.id is null or v_b.id is null or not private.can_manage_batch(v_b) then
    raise exception '找不到这份申报' using errcode = 'P0002';
  end if;
  if p_disbursed is null then
    raise exception '请选择已发放或未发放' using errcode = '22023', hint = 'disbursed';
  end if;
  if char_length(v_note) > 500 then
    raise exception '说明不能超过500字' using errcode = '22023', hint = 'note';
  end if;
  if not p_disbursed and char_length(v_note) < 2 then
    raise exception '未发放时请写明原因（至少2个字）' using errcode = '22023', hint = 'note';
  end if;
  if v.status in ('disbursed', 'not_disbursed') then
    raise exception '该申报已标记发放结果' using errcode = 'P0001';
  elsif v.status <> 'filed' then
    raise exception '该申报尚未报送人社局，报送后才能标记发放结果' using errcode = 'P0001';
  end if;
  update public.applications a
     set status = case when p_disbursed then 'disbursed' else 'not_disbursed' end::public.application_status,
         disbursed_at = case when p_disbursed then now() end,
         disburse_note = nullif(v_note, '')
   where a.id = v.id
  returning * into v;
  v_event := private.log_batch_step(v, 'filed', v_note, jsonb_build_object('batch_id', v.batch_id, 'disbursed', p_disbursed));
  if p_disbursed then
    perform private.tell_applicant(v, v_event, '补贴已发放',
      '您的「' || private.programme_name_of(v.programme_id) || '」补贴' || private.yuan(v.approved_amount) ||
      '元已发放，请留意银行账户到账情况。' || case when v_note <> '' then v_note else '' end);
  else
    perform private.tell_applicant(v, v_event, '补贴未发放',
      '您的「' || private.programme_name_of(v.programme_id) || '」补贴未发放，原因：' || v_note ||
      '。如有疑问请联系街道创业管家。');
  end if;
  -- The last application settled closes the batch. The batch row is locked first, so of two butlers
  -- settling the last two at once, the second sees the first's change and closes it.
  perform 1 from public.application_batches b where b.id = v_b.id for update;
  if not exists (select 1 from public.applications a where a.batch_id = v_b.id and a.status in ('approved', 'filed')) then
    update public.application_batches b set status = 'closed', closed_at = now()
     where b.id = v_b.id and b.status = 'filed';
  end if;
  return private.public_copy(v);
end
$$;
comment on function private.mark_application_disbursed(uuid, boolean, text) is
  '已发放 / 未发放 (with a reason) for a filed application, by its batch''s street butlers and admins; the applicant is told, and the batch closes when every application in it is settled.';

create function public.mark_application_disbursed(application_id uuid, disbursed boolean, note text default '')
returns public.applications
language sql volatile security invoker set search_path = ''
as $$ select * from private.mark_application_disbursed(application_id, disbursed, note) $$;
comment on function public.mark_application_disbursed(uuid, boolean, text) is
  '标记发放结果: filed → disbursed, or not_disbursed with a reason; closes the batch when all are settled.';
revoke execute on function public.mark_application_disbursed(uuid, boolean, text) from public, anon;

-- =====================================================================================================
-- 公示: the public list, objections and answers
-- =====================================================================================================
create function private.publicity_batches()
returns table (
  id uuid, street text, month date, status public.batch_status, locked_at timestamptz, publicity_until timestamptz,
  objections_open boolean, applications integer, approved_total numeric
)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  return query
  select b.id, b.street, b.month, b.status, b.locked_at, b.publicity_until, now() < b.publicity_until,
         c.n, c.total
    from public.application_batches b
    cross join lateral (
      select count(*)::integer as n, coalesce(sum(a.approved_amount), 0)::numeric as total
        from public.applications a where a.batch_id = b.id
    ) c
   where b.status <> 'open' and b.locked_at > now() - interval '180 days'
   order by b.locked_at desc, b.street
   limit 100;
end
$$;
comment on function private.publicity_batches() is 'Batches whose 公示 has started (locked within the last 180 days), newest first, with whether objections are still open.';

create function public.publicity_batches()
returns table (
  id uuid, street text, month date, status public.batch_status, locked_at timestamptz, publicity_until timestamptz,
  objections_open boolean, applications integer, approved_total numeric
)
language sql stable security invoker set search_path = ''
as $$ select * from private.publicity_batches() $$;
comment on function public.publicity_batches() is
  '公示 batches for everyone signed in: street, month, until when objections are open (objections_open), how many approved subsidies and their total.';
revoke execute on function public.publicity_batches() from public, anon;

create function private.publicity_list(p_batch uuid, p_max integer, p_after uuid)
returns table (application_id uuid, masked_name text, programme_name text, approved_amount numeric)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_b public.application_batches;
  v_after_at timestamptz;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v_b from public.application_batches b where b.id = p_batch;
  if v_b.id is null or v_b.status = 'open' then
    raise exception '找不到该公示' using errcode = 'P0002';
  end if;
  if p_after is not null then
    select a.decided_at into v_after_at from public.applications a where a.id = p_after and a.batch_id = p_batch;
  end if;
  return query
  select a.id, a.real_name_masked, s.name, a.approved_amount
    from public.applications a join public.subsidy_programmes s on s.id = a.programme_id
   where a.batch_id = p_batch
     and (p_after is null or (a.decided_at, a.id) > (v_after_at, p_after))
   order by a.decided_at, a.id
   limit least(greatest(coalesce(p_max, 200), 1), 500);
end
$$;
comment on function private.publicity_list(uuid, integer, uuid) is 'One page of a batch''s 公示: masked names, programmes and approved amounts, nothing else.';

create function public.publicity_list(batch_id uuid, max_rows integer default 200, after_id uuid default null)
returns table (application_id uuid, masked_name text, programme_name text, approved_amount numeric)
language sql stable security invoker set search_path = ''
as $$ select * from private.publicity_list(batch_id, max_rows, after_id) $$;
comment on function public.publicity_list(uuid, integer, uuid) is
  '公示名单 of a locked batch for everyone signed in: masked name (张*德), programme, approved amount; pages of max_rows (at most 500), after_id = the last row''s application_id.';
revoke execute on function public.publicity_list(uuid, integer, uuid) from public, anon;

create function private.raise_objection(p_batch uuid, p_app uuid, p_body text) returns public.batch_objections
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_b public.application_batches;
  v_body text := btrim(coalesce(p_body, ''));
  v_o public.batch_objections;
  v_butler uuid;
  v_about text := '';
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  -- FOR SHARE: a filing (FOR UPDATE) either sees this objection or this one sees the batch filed.
  select * into v_b from public.application_batches b where b.id = p_batch for share;
  if v_b.id is null or v_b.status = 'open' then
    raise exception '找不到该公示' using errcode = 'P0002';
  end if;
  if v_b.status <> 'locked' or now() >= v_b.publicity_until then
    raise exception '公示期已结束，不能再提出异议' using errcode = 'P0001';
  end if;
  if char_length(v_body) not between 5 and 500 then
    raise exception '异议内容应为5到500个字' using errcode = '22023', hint = 'body';
  end if;
  if p_app is not null then
    select '（关于' || a.real_name_masked || '的' || s.name || '）' into v_about
      from public.applications a join public.subsidy_programmes s on s.id = a.programme_id
     where a.id = p_app and a.batch_id = p_batch;
    if v_about is null then
      raise exception '该申报不在本次公示名单中' using errcode = '22023', hint = 'application_id';
    end if;
  end if;
  if (select count(*) from public.batch_objections o where o.raised_by = v_me and o.created_at > now() - interval '1 day') >= 10
     or (select count(*) from public.batch_objections o where o.raised_by = v_me and o.created_at > now() - interval '1 minute') >= 3 then
    raise exception '提出异议太频繁，请稍后再试' using errcode = 'P0001';
  end if;
  insert into public.batch_objections (batch_id, application_id, raised_by, body)
  values (p_batch, p_app, v_me, v_body)
  returning * into v_o;
  for v_butler in select private.street_butler_ids(v_b.street) loop
    perform private.notify(
      v_butler, 'batch_objection', '收到公示异议',
      left(private.batch_label(v_b) || '收到一条异议' || v_about || '：' || v_body, 200),
      private.batch_review_link(v_b.id), jsonb_build_object('batch_id', v_b.id, 'objection_id', v_o.id),
      'batch_objection:' || v_o.id::text || ':' || v_butler::text);
  end loop;
  return v_o;
end
$$;
comment on function private.raise_objection(uuid, uuid, text) is
  '提出异议 while the batch''s 公示 window is open (5–500 characters, about the batch or one listed application; at most 3 a minute and 10 a day per person); the street''s butlers are told.';

create function public.raise_objection(batch_id uuid, body text, application_id uuid default null) returns public.batch_objections
language sql volatile security invoker set search_path = ''
as $$ select * from private.raise_objection(batch_id, application_id, body) $$;
comment on function public.raise_objection(uuid, text, uuid) is
  '提出异议 on a 公示 (anyone signed in, only until publicity_until); application_id (optional) names the listed application it is about.';
revoke execute on function public.raise_objection(uuid, text, uuid) from public, anon;

create function private.answer_objection(p_objection uuid, p_answer text) returns public.batch_objections
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_o public.batch_objections;
  v_b public.application_batches;
  v_answer text := btrim(coalesce(p_answer, ''));
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v_o from public.batch_objections o where o.id = p_objection;
  if v_o.id is null then
    raise exception '找不到该异议' using errcode = 'P0002';
  end if;
  v_b := private.batch_for_staff(v_o.batch_id, false);
  select * into v_o from public.batch_objections o where o.id = p_objection for update;
  if v_o.answered_at is not null then
    raise exception '该异议已答复' using errcode = 'P0001';
  end if;
  if char_length(v_answer) not between 2 and 500 then
    raise exception '答复应为2到500个字' using errcode = '22023', hint = 'answer';
  end if;
  update public.batch_objections o
     set answer = v_answer, answered_by = (select auth.uid()), answered_at = now()
   where o.id = v_o.id
  returning * into v_o;
  if v_o.raised_by is not null then
    perform private.notify(
      v_o.raised_by, 'objection_answered', '您的公示异议已答复', left(private.batch_label(v_b) || '：' || v_answer, 200),
      private.publicity_link(v_b.id), jsonb_build_object('batch_id', v_b.id, 'objection_id', v_o.id),
      'objection_answered:' || v_o.id::text);
  end if;
  return v_o;
end
$$;
comment on function private.answer_objection(uuid, text) is
  '答复异议 by the street''s butlers or an admin (2–500 characters, once); the person who raised it is told.';

create function public.answer_objection(objection_id uuid, answer text) returns public.batch_objections
language sql volatile security invoker set search_path = ''
as $$ select * from private.answer_objection(objection_id, answer) $$;
comment on function public.answer_objection(uuid, text) is '答复公示异议 (the street''s butlers, admins); the raiser is told.';
revoke execute on function public.answer_objection(uuid, text) from public, anon;

-- =====================================================================================================
-- grants: the public wrappers run as the caller and reach these
-- =====================================================================================================
revoke execute on all functions in schema private from public;
grant execute on function
  private.application_batches_for_me(), private.batch_applications(uuid, public.application_status, integer, uuid),
  private.batch_completeness(uuid), private.confirm_credit_code(uuid), private.batch_export_rows(uuid),
  private.batch_export(uuid), private.mark_batch_filed(uuid), private.mark_application_disbursed(uuid, boolean, text),
  private.publicity_batches(), private.publicity_list(uuid, integer, uuid), private.raise_objection(uuid, uuid, text),
  private.answer_objection(uuid, text)
  to authenticated, service_role;

-- =====================================================================================================
-- every minute where pg_cron exists (a hosted Supabase project); elsewhere the local scheduler runs it
-- =====================================================================================================
do $do$
begin
  if not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    raise notice 'pg_cron is not available: the application-jobs job is not scheduled in this database';
    return;
  end if;
  begin
    create extension if not exists pg_cron;
  exception when others then
    raise warning 'pg_cron could not be enabled (%): the application-jobs job is not scheduled', sqlerrm;
    return;
  end;
  -- Scheduling under an existing name replaces that job. Stop with: select cron.unschedule('application-jobs');
  perform cron.schedule('application-jobs', '* * * * *', 'select private.run_application_jobs()');
end
$do$;
