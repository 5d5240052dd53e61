-- Subsidy applications (issue 12), the reviewer's side: the review queue, 查看 of the full resident ID
-- and bank account (recorded), and the transitions a butler of the applicant's group (or an admin)
-- makes — start the review, approve into the street's open monthly batch, reject with a reason, request
-- a 补正 listing exactly what to redo. Every transition locks the application row and checks the state
-- it finds, so two butlers at once end in one state and the loser is told to refresh. Also the
-- programme catalogue's admin editor and the eligibility self-check.

-- =====================================================================================================
-- shared steps
-- =====================================================================================================
create function private.lock_reviewable_application(p_id uuid) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.applications := private.lock_application(p_id);
begin
  if not (v.group_id in (select private.my_review_group_ids()) or private.is_admin()) then
    raise exception '只有所在创业群的管家可以审核这份申报' using errcode = '42501';
  end if;
  return v;
end
$$;
comment on function private.lock_reviewable_application(uuid) is
  'The application locked for a reviewer: a butler of its group or an admin (42501 for its applicant, P0002 for anyone else).';

create function private.require_status(p_app public.applications, p_allowed public.application_status[]) returns void
language plpgsql immutable set search_path = ''
as $$
begin
  if not (p_app.status = any (p_allowed)) then
    raise exception '该申报已被其他管家处理，请刷新' using errcode = 'P0001';
  end if;
end
$$;
comment on function private.require_status(public.applications, public.application_status[]) is
  'Refuses (P0001) a transition from a state it does not start from: what the second of two butlers acting at once meets.';

-- =====================================================================================================
-- the monthly batch an approval joins
-- =====================================================================================================
create function private.open_batch_for(p_street text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_month date := date_trunc('month', now() at time zone 'Asia/Shanghai')::date;
  v_batch public.application_batches;
begin
  for i in 1 .. 3 loop
    insert into public.application_batches (street, month, cutoff_at)
    values (p_street, v_month, private.batch_cutoff(v_month))
    on conflict (street, month) do nothing;
    -- FOR SHARE: the job that locks the batch at its cut-off waits for this approval to commit (and it
    -- then counts it), or this approval waits for the lock and sees it, and goes to next month's batch.
    select * into v_batch from public.application_batches b
     where b.street = p_street and b.month = v_month
     for share;
    if v_batch.status = 'open' and v_batch.cutoff_at > now() then
      return v_batch.id;
    end if;
    v_month := (v_month + interval '1 month')::date;
  end loop;
  raise exception '本街道近期的集中申报批次都已截止，请联系管理员' using errcode = 'P0001';
end
$$;
comment on function private.open_batch_for(text) is
  'The street''s batch an approval joins now: this month''s (Asia/Shanghai) while open and before its cut-off, else next month''s; created when missing; locked FOR SHARE so a concurrent lock of the batch is either waited for or seen.';

-- =====================================================================================================
-- transitions
-- =====================================================================================================
create function private.start_application_review(p_id uuid) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_app public.applications := private.lock_reviewable_application(p_id);
  v public.applications;
  v_event bigint;
begin
  if v_app.status = 'under_review' and v_app.reviewer_id = (select auth.uid()) then
    return private.without_secrets(v_app);
  end if;
  perform private.require_status(v_app, array['submitted']::public.application_status[]);
  update public.applications a set status = 'under_review', reviewer_id = (select auth.uid())
   where a.id = v_app.id returning * into v;
  v_event := private.log_application_event(v, v_app.status);
  perform private.notify_applicant(v, v_event, '申报审核中：' || private.programme_label(v.programme_id),
    '创业管家已开始审核您的申报，如需补充材料会另行通知。');
  return private.without_secrets(v);
end
$$;
comment on function private.start_application_review(uuid) is '开始审核: submitted → under_review, the caller becomes the reviewer; the applicant is told.';

create function public.start_application_review(application_id uuid) returns public.applications
language sql volatile security invoker set search_path = ''
as $$ select private.start_application_review(application_id) $$;
comment on function public.start_application_review(uuid) is '开始审核 (butlers of the applicant''s group, admins).';

create function private.approve_application(p_id uuid, p_amount numeric, p_note text) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_app public.applications := private.lock_reviewable_application(p_id);
  v_prog public.subsidy_programmes;
  v public.applications;
  v_batch uuid;
  v_event bigint;
begin
  select * into v_prog from public.subsidy_programmes s where s.id = v_app.programme_id;
  if p_amount is null or p_amount <= 0 or p_amount > v_prog.max_amount or p_amount <> round(p_amount, 2) then
    raise exception '核定金额应大于0元且不超过%元', trim_scale(v_prog.max_amount) using errcode = '22023', hint = 'amount';
  end if;
  if char_length(coalesce(p_note, '')) > 500 then
    raise exception '审核意见最多500个字' using errcode = '22023', hint = 'note';
  end if;
  perform private.require_status(v_app, array['submitted', 'under_review']::public.application_status[]);
  perform private.check_not_granted(v_app.applicant_id, v_prog, v_app.id);
  v_batch := private.open_batch_for(v_app.street);
  update public.applications a
     set status = 'approved', approved_amount = p_amount, batch_id = v_batch, reviewer_id = (select auth.uid()),
         decided_at = now()
   where a.id = v_app.id returning * into v;
  v_event := private.log_application_event(v, v_app.status, coalesce(btrim(p_note), ''),
                                           jsonb_build_object('amount', p_amount, 'batch_id', v_batch));
  perform private.notify_applicant(v, v_event, '申报已通过：' || v_prog.name,
    '您的申报已审核通过，核定金额' || trim_scale(p_amount) || '元，将纳入本月集中申报，请留意后续进度。');
  return private.without_secrets(v);
end
$$;
comment on function private.approve_application(uuid, numeric, text) is
  '审核通过 with an amount in (0, max_amount]: submitted | under_review → approved, into the street''s open batch; the applicant is told.';

create function public.approve_application(application_id uuid, amount numeric, note text default '') returns public.applications
language sql volatile security invoker set search_path = ''
as $$ select private.approve_application(application_id, amount, note) $$;
comment on function public.approve_application(uuid, numeric, text) is '审核通过 (butlers of the applicant''s group, admins): joins the street''s open monthly batch.';

create function private.reject_application(p_id uuid, p_reason text) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_app public.applications := private.lock_reviewable_application(p_id);
  v public.applications;
  v_reason text := btrim(coalesce(p_reason, ''));
  v_event bigint;
begin
  if char_length(v_reason) not between 2 and 500 then
    raise exception '请填写不通过的原因（2到500个字）' using errcode = '22023', hint = 'reason';
  end if;
  perform private.require_status(v_app, array['submitted', 'under_review', 'needs_supplement']::public.application_status[]);
  update public.applications a
     set status = 'rejected', reject_reason = v_reason, supplement = null, reviewer_id = (select auth.uid()), decided_at = now()
   where a.id = v_app.id returning * into v;
  v_event := private.log_application_event(v, v_app.status, v_reason);
  perform private.notify_applicant(v, v_event, '申报未通过：' || private.programme_label(v.programme_id),
    '原因：' || v_reason || '。如有异议，可在收到本通知之日起15日内向所在街道劳动保障服务站申诉。');
  return private.without_secrets(v);
end
$$;
comment on function private.reject_application(uuid, text) is
  '审核不通过 with a reason (2..500 characters): the applicant is told the reason and how to appeal; they may apply again.';

create function public.reject_application(application_id uuid, reason text) returns public.applications
language sql volatile security invoker set search_path = ''
as $$ select private.reject_application(application_id, reason) $$;
comment on function public.reject_application(uuid, text) is '审核不通过 (butlers of the applicant''s group, admins).';

create function private.request_application_supplement(p_id uuid, p_items jsonb, p_note text) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_app public.applications := private.lock_reviewable_application(p_id);
  v public.applications;
  v_items jsonb := '[]';
  i jsonb;
  v_kind text;
  v_key text;
  v_name text;
  v_event bigint;
begin
  if p_items is null or jsonb_typeof(p_items) <> 'array' or jsonb_array_length(p_items) = 0 then
    raise exception '请选择需要补正的材料或信息' using errcode = '22023', hint = 'items';
  end if;
  if jsonb_array_length(p_items) > 20 or pg_column_size(p_items) > 8192 then
    raise exception '补正清单过长' using errcode = '22023', hint = 'items';
  end if;
  if char_length(coalesce(p_note, '')) > 500 then
    raise exception '补正说明最多500个字' using errcode = '22023', hint = 'note';
  end if;
  for i in select * from jsonb_array_elements(p_items) loop
    if jsonb_typeof(i) <> 'object' or jsonb_typeof(i -> 'kind') <> 'string' or jsonb_typeof(i -> 'key') <> 'string'
       or (i ? 'note' and jsonb_typeof(i -> 'note') <> 'string') or char_length(coalesce(i ->> 'note', '')) > 200 then
      raise exception '补正清单格式不正确' using errcode = '22023', hint = 'items';
    end if;
    v_kind := i ->> 'kind';
    v_key := i ->> 'key';
    if v_kind = 'field' and v_key <> 'group_id' then
      v_name := private.application_field_label(v_key);
    elsif v_kind = 'material' then
      v_name := private.programme_material(v_app.programme_id, v_key) ->> 'name';
    else
      v_name := null;
    end if;
    if v_name is null then
      raise exception '补正清单中有不认识的项目：%', left(v_key, 40) using errcode = '22023', hint = 'items';
    end if;
    if not v_items @> jsonb_build_array(jsonb_build_object('kind', v_kind, 'key', v_key)) then
      v_items := v_items || jsonb_build_array(jsonb_build_object('kind', v_kind, 'key', v_key, 'name', v_name,
                                                                 'note', btrim(coalesce(i ->> 'note', ''))));
    end if;
  end loop;
  perform private.require_status(v_app, array['submitted', 'under_review']::public.application_status[]);
  update public.applications a set status = 'needs_supplement', supplement = v_items, reviewer_id = (select auth.uid())
   where a.id = v_app.id returning * into v;
  v_event := private.log_application_event(v, v_app.status, coalesce(btrim(p_note), ''), jsonb_build_object('items', v_items));
  perform private.notify_applicant(v, v_event, '申报需要补正：' || private.programme_label(v.programme_id),
    '请补正：' || (select string_agg(x ->> 'name', '、') from jsonb_array_elements(v_items) x) ||
    coalesce('。' || nullif(btrim(p_note), ''), '') || '。其余内容已锁定，补正后重新提交即可。');
  return private.without_secrets(v);
end
$$;
comment on function private.request_application_supplement(uuid, jsonb, text) is
  '要求补正: submitted | under_review → needs_supplement with the list of fields and materials to redo (each a known field or one of the programme''s materials); only those may change until the applicant resubmits.';

create function public.request_application_supplement(application_id uuid, items jsonb, note text default '')
returns public.applications
language sql volatile security invoker set search_path = ''
as $$ select private.request_application_supplement(application_id, items, note) $$;
comment on function public.request_application_supplement(uuid, jsonb, text) is
  '要求补正 (butlers of the applicant''s group, admins): items [{"kind": "field"|"material", "key", "note"?}].';

-- =====================================================================================================
-- reading: the full sensitive values (查看), the review queue
-- =====================================================================================================
create function private.application_sensitive(p_id uuid)
returns table (resident_id text, bank_account text)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v public.applications;
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v from public.applications a where a.id = p_id;
  if v.id is null or not (v.applicant_id = v_me
                          or (v.status <> 'draft' and (v.group_id in (select private.my_review_group_ids()) or private.is_admin()))) then
    raise exception '找不到这份申报' using errcode = 'P0002';
  end if;
  if v.applicant_id <> v_me then
    insert into public.application_reveals (application_id, field, actor_id)
    select v.id, f.field, v_me
      from (values ('resident_id', v.resident_id), ('bank_account', v.bank_account)) f(field, value)
     where f.value is not null;
  end if;
  return query select v.resident_id, v.bank_account;
end
$$;
comment on function private.application_sensitive(uuid) is
  'The full resident ID and bank account: for the applicant as they are; for a reviewer (butler of the group, admin) each shown value is recorded in application_reveals, which admins read.';

create function public.application_sensitive(application_id uuid) returns table (resident_id text, bank_account text)
language sql volatile security invoker set search_path = ''
as $$ select * from private.application_sensitive(application_id) $$;
comment on function public.application_sensitive(uuid) is '查看: the full resident ID and bank account of an application; a reviewer''s look is recorded.';

create function private.application_review_queue(p_status public.application_status, p_max int, p_before timestamptz)
returns table (
  id uuid, applicant_id uuid, applicant_name text, programme_id uuid, programme_name text, group_id uuid, street text,
  status public.application_status, submitted_at timestamptz, updated_at timestamptz, real_name_masked text,
  resident_id_masked text, bank_account_masked text, phone text, business_name text, credit_code_needs_review boolean,
  requested_amount numeric, approved_amount numeric, reviewer_id uuid, batch_id uuid, version int
)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_all boolean := private.is_admin();
  v_groups uuid[] := array(select private.my_review_group_ids());
  v_max int := least(greatest(coalesce(p_max, 50), 1), 200);
begin
  -- Two statements rather than one with "or is_admin()": each has a plan that walks an index of
  -- applications (for a butler, the newest of each of their groups by the groups' queue index, then
  -- merged; for an admin, the submission-time index).
  if v_all then
    return query
      select a.id, a.applicant_id, p.display_name, a.programme_id, s.name, a.group_id, a.street, a.status, a.submitted_at,
             a.updated_at, a.real_name_masked, a.resident_id_masked, a.bank_account_masked, a.phone, a.business_name,
             a.credit_code_needs_review, a.requested_amount, a.approved_amount, a.reviewer_id, a.batch_id, a.version
        from public.applications a
        join public.subsidy_programmes s on s.id = a.programme_id
        join public.profiles p on p.id = a.applicant_id
       where a.status <> 'draft' and (p_status is null or a.status = p_status) and (p_before is null or a.submitted_at < p_before)
       order by a.submitted_at desc, a.id
       limit v_max;
  else
    return query
      select a.id, a.applicant_id, p.display_name, a.programme_id, s.name, a.group_id, a.street, a.status, a.submitted_at,
             a.updated_at, a.real_name_masked, a.resident_id_masked, a.bank_account_masked, a.phone, a.business_name,
             a.credit_code_needs_review, a.requested_amount, a.approved_amount, a.reviewer_id, a.batch_id, a.version
        from unnest(v_groups) g(id)
        cross join lateral (
          select x.* from public.applications x
           where x.group_id = g.id and x.status <> 'draft' and (p_status is null or x.status = p_status)
             and (p_before is null or x.submitted_at < p_before)
           order by x.submitted_at desc, x.id
           limit v_max) a
        join public.subsidy_programmes s on s.id = a.programme_id
        join public.profiles p on p.id = a.applicant_id
       order by a.submitted_at desc, a.id
       limit v_max;
  end if;
end
$$;
comment on function private.application_review_queue(public.application_status, int, timestamptz) is
  'The applications the caller reviews (their groups'' members; admins all), newest submission first, with masked fields and the applicant''s name; security definer because the names of applicants are not all readable through profiles.';

create function public.application_review_queue(
  status_filter public.application_status default null, max_rows int default 50, before timestamptz default null
) returns table (
  id uuid, applicant_id uuid, applicant_name text, programme_id uuid, programme_name text, group_id uuid, street text,
  status public.application_status, submitted_at timestamptz, updated_at timestamptz, real_name_masked text,
  resident_id_masked text, bank_account_masked text, phone text, business_name text, credit_code_needs_review boolean,
  requested_amount numeric, approved_amount numeric, reviewer_id uuid, batch_id uuid, version int
)
language sql stable security invoker set search_path = ''
as $$ select * from private.application_review_queue(status_filter, max_rows, before) $$;
comment on function public.application_review_queue(public.application_status, int, timestamptz) is
  '审核队列: the caller''s reviewable applications (not drafts), newest first; page with before = the last submitted_at.';

-- =====================================================================================================
-- the catalogue: admins edit it
-- =====================================================================================================
create function private.save_subsidy_programme(p jsonb) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
  k text;
  e jsonb;
  v_keys text[] := '{}';
begin
  if not private.is_admin() then
    raise exception '只有管理员可以维护补贴项目' using errcode = '42501';
  end if;
  if p is null or jsonb_typeof(p) <> 'object' or pg_column_size(p) > 32768 then
    raise exception '补贴项目格式不正确' using errcode = '22023', hint = 'programme';
  end if;
  for k in select jsonb_object_keys(p) loop
    if k not in ('id', 'code', 'name', 'summary', 'description', 'amount_rule', 'default_amount', 'max_amount', 'opens_on',
                 'closes_on', 'eligibility', 'materials', 'sort_order', 'active') then
      raise exception '不支持的字段：%', left(k, 40) using errcode = '22023', hint = left(k, 40);
    end if;
  end loop;
  if p ? 'eligibility' then
    if jsonb_typeof(p -> 'eligibility') <> 'array' then
      raise exception '申请条件格式不正确' using errcode = '22023', hint = 'eligibility';
    end if;
    for e in select * from jsonb_array_elements(p -> 'eligibility') loop
      if jsonb_typeof(e) <> 'object' or e ->> 'rule' is null or e ->> 'rule' not in ('displaced_worker', 'has_business',
           'registered_within_months', 'social_insurance_months', 'employees_at_least', 'in_incubation_base', 'has_lease',
           'not_granted_before')
         or (e ->> 'rule' in ('registered_within_months', 'social_insurance_months', 'employees_at_least')
             and (jsonb_typeof(e -> 'value') <> 'number' or (e ->> 'value')::numeric not between 0 and 600)) then
        raise exception '申请条件格式不正确' using errcode = '22023', hint = 'eligibility';
      end if;
    end loop;
  end if;
  if p ? 'materials' then
    if jsonb_typeof(p -> 'materials') <> 'array' then
      raise exception '所需材料格式不正确' using errcode = '22023', hint = 'materials';
    end if;
    for e in select * from jsonb_array_elements(p -> 'materials') loop
      if jsonb_typeof(e) <> 'object' or coalesce(e ->> 'key', '') !~ '^[a-z][a-z0-9_]{1,39}$'
         or char_length(coalesce(e ->> 'name', '')) not between 2 and 40
         or coalesce(e ->> 'kind', '') not in ('photo', 'pdf', 'photo_or_pdf')
         or (e ? 'max_files' and (jsonb_typeof(e -> 'max_files') <> 'number' or (e ->> 'max_files')::numeric not between 1 and 9))
         or (e ? 'required' and jsonb_typeof(e -> 'required') <> 'boolean')
         or e ->> 'key' = any (v_keys) then
        raise exception '所需材料格式不正确：%', coalesce(left(e ->> 'name', 40), '') using errcode = '22023', hint = 'materials';
      end if;
      v_keys := v_keys || (e ->> 'key');
    end loop;
  end if;
  begin
    if p ? 'id' then
      update public.subsidy_programmes s set
        code = coalesce(p ->> 'code', s.code), name = coalesce(p ->> 'name', s.name),
        summary = coalesce(p ->> 'summary', s.summary), description = coalesce(p ->> 'description', s.description),
        amount_rule = coalesce(p ->> 'amount_rule', s.amount_rule),
        default_amount = case when p ? 'default_amount' then (p ->> 'default_amount')::numeric else s.default_amount end,
        max_amount = coalesce((p ->> 'max_amount')::numeric, s.max_amount),
        opens_on = coalesce((p ->> 'opens_on')::date, s.opens_on),
        closes_on = case when p ? 'closes_on' then (p ->> 'closes_on')::date else s.closes_on end,
        eligibility = coalesce(p -> 'eligibility', s.eligibility), materials = coalesce(p -> 'materials', s.materials),
        sort_order = coalesce((p ->> 'sort_order')::int, s.sort_order), active = coalesce((p ->> 'active')::boolean, s.active)
       where s.id = private.uuid_or_null(p ->> 'id')
      returning s.id into v_id;
      if v_id is null then
        raise exception '找不到这个补贴项目' using errcode = 'P0002';
      end if;
    else
      insert into public.subsidy_programmes (code, name, summary, description, amount_rule, default_amount, max_amount,
                                             opens_on, closes_on, eligibility, materials, sort_order, active)
      values (p ->> 'code', p ->> 'name', coalesce(p ->> 'summary', ''), coalesce(p ->> 'description', ''),
              coalesce(p ->> 'amount_rule', ''), (p ->> 'default_amount')::numeric, (p ->> 'max_amount')::numeric,
              coalesce((p ->> 'opens_on')::date, (now() at time zone 'Asia/Shanghai')::date), (p ->> 'closes_on')::date,
              coalesce(p -> 'eligibility', '[]'), coalesce(p -> 'materials', '[]'), coalesce((p ->> 'sort_order')::int, 0),
              coalesce((p ->> 'active')::boolean, true))
      returning id into v_id;
    end if;
  exception
    when unique_violation then
      raise exception '项目代码已被使用' using errcode = '22023', hint = 'code';
    when not_null_violation then
      raise exception '请填写项目代码、名称和最高金额' using errcode = '22023', hint = 'programme';
    when check_violation or invalid_text_representation or invalid_datetime_format or datetime_field_overflow
         or numeric_value_out_of_range then
      raise exception '补贴项目的内容不符合要求（代码为小写字母开头，金额大于0，截止日期不早于开始日期）' using errcode = '22023', hint = 'programme';
  end;
  return v_id;
end
$$;
comment on function private.save_subsidy_programme(jsonb) is
  'Admins add (no id) or change a programme; the eligibility rules and the materials list are checked for shape, everything else by the table''s constraints, each refusal in Chinese.';

create function public.save_subsidy_programme(programme jsonb) returns public.subsidy_programmes
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.save_subsidy_programme(programme);
  v public.subsidy_programmes;
begin
  select * into v from public.subsidy_programmes s where s.id = v_id;
  return v;
end
$$;
comment on function public.save_subsidy_programme(jsonb) is '维护补贴项目 (admins): insert without id, update with id.';

-- =====================================================================================================
-- the eligibility self-check: answers in, reasons out, nothing stored
-- =====================================================================================================
create function public.eligibility_check(answers jsonb)
returns table (programme_id uuid, code text, name text, fits boolean, reasons text[], materials jsonb, amount_rule text)
language plpgsql stable security invoker set search_path = ''
as $$
declare
  v_worker boolean;
  v_business boolean;
  v_months int;
  v_insured int;
  v_employees int;
  v_base boolean;
  v_lease boolean;
  v_granted text[];
  v_today date := (now() at time zone 'Asia/Shanghai')::date;
  s public.subsidy_programmes;
  e jsonb;
  v_reasons text[];
  n int;
begin
  if answers is null or jsonb_typeof(answers) <> 'object' or pg_column_size(answers) > 4096 then
    raise exception '自测答案格式不正确' using errcode = '22023', hint = 'answers';
  end if;
  begin
    v_worker := coalesce((answers ->> 'displaced_worker')::boolean, false);
    v_business := coalesce((answers ->> 'has_business')::boolean, false);
    v_months := (answers ->> 'registered_months')::int;
    v_insured := coalesce((answers ->> 'social_insurance_months')::int, 0);
    v_employees := coalesce((answers ->> 'employees')::int, 0);
    v_base := coalesce((answers ->> 'in_incubation_base')::boolean, false);
    v_lease := coalesce((answers ->> 'has_lease')::boolean, false);
    v_granted := case when jsonb_typeof(answers -> 'granted_codes') = 'array'
                      then array(select jsonb_array_elements_text(answers -> 'granted_codes')) else '{}' end;
  exception when others then
    raise exception '自测答案格式不正确' using errcode = '22023', hint = 'answers';
  end;
  for s in select * from public.subsidy_programmes p where p.active order by p.sort_order, p.name loop
    v_reasons := '{}';
    if s.opens_on > v_today or (s.closes_on is not null and s.closes_on < v_today) then
      v_reasons := v_reasons || '当前不在申报期'::text;
    end if;
    for e in select * from jsonb_array_elements(s.eligibility) loop
      n := case when jsonb_typeof(e -> 'value') = 'number' then (e ->> 'value')::numeric::int end;
      case e ->> 'rule'
        when 'displaced_worker' then
          if not v_worker then v_reasons := v_reasons || '需为分流职工或已办理失业登记'::text; end if;
        when 'has_business' then
          if not v_business then v_reasons := v_reasons || '需已办理营业执照（个体工商户或企业等）'::text; end if;
        when 'registered_within_months' then
          if not v_business or v_months is null or v_months > n then
            v_reasons := v_reasons || ('营业执照需在' || n || '个月内登记')::text;
          end if;
        when 'social_insurance_months' then
          if v_insured < n then v_reasons := v_reasons || ('需已缴纳社会保险满' || n || '个月')::text; end if;
        when 'employees_at_least' then
          if v_employees < n then v_reasons := v_reasons || ('需吸纳就业至少' || n || '人')::text; end if;
        when 'in_incubation_base' then
          if not v_base then v_reasons := v_reasons || '需入驻创业孵化基地'::text; end if;
        when 'has_lease' then
          if not v_lease then v_reasons := v_reasons || '需有经营场所租赁合同'::text; end if;
        when 'not_granted_before' then
          if s.code = any (v_granted) then v_reasons := v_reasons || '已享受过该补贴，不能重复申请'::text; end if;
        else
          null;
      end case;
    end loop;
    programme_id := s.id;
    code := s.code;
    name := s.name;
    fits := cardinality(v_reasons) = 0;
    reasons := v_reasons;
    materials := s.materials;
    amount_rule := s.amount_rule;
    return next;
  end loop;
end
$$;
comment on function public.eligibility_check(jsonb) is
  '自测: which active programmes fit the answers, why the others do not (Chinese reasons) and what to prepare. Stores nothing and asks for no personal data; anyone may call it.';

-- =====================================================================================================
-- grants
-- =====================================================================================================
revoke execute on all functions in schema private from public;
grant execute on function private.start_application_review(uuid), private.approve_application(uuid, numeric, text),
  private.reject_application(uuid, text), private.request_application_supplement(uuid, jsonb, text),
  private.application_sensitive(uuid), private.application_review_queue(public.application_status, int, timestamptz),
  private.save_subsidy_programme(jsonb) to authenticated;
revoke execute on function public.start_application_review(uuid), public.approve_application(uuid, numeric, text),
  public.reject_application(uuid, text), public.request_application_supplement(uuid, jsonb, text),
  public.application_sensitive(uuid), public.application_review_queue(public.application_status, int, timestamptz),
  public.save_subsidy_programme(jsonb) from public, anon;
grant execute on function public.start_application_review(uuid), public.approve_application(uuid, numeric, text),
  public.reject_application(uuid, text), public.request_application_supplement(uuid, jsonb, text),
  public.application_sensitive(uuid), public.application_review_queue(public.application_status, int, timestamptz),
  public.save_subsidy_programme(jsonb) to authenticated;
revoke execute on function public.eligibility_check(jsonb) from public;
grant execute on function public.eligibility_check(jsonb) to anon, authenticated;
