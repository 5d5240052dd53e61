-- Subsidy applications (issue 12), the applicant's side: the draft saved as the worker goes (every field
-- checked before anything is written: GB 11643 resident IDs, GB 32100 credit codes flagged rather than
-- refused, no future registration date), the separate consent, materials (verified objects only) and
-- the idempotent submission (also the resubmission after a 补正, which may change only the listed items).
--
-- Each RPC is a public security-invoker wrapper over a private security-definer function; the private
-- function returns the row with resident_id and bank_account blanked, because the API never hands those
-- out except through application_sensitive.

-- =====================================================================================================
-- check digits
-- =====================================================================================================
create function private.is_valid_resident_id(p_id text) returns boolean
language sql immutable parallel safe set search_path = ''
as $$
  select p_id ~ '^[0-9]{17}[0-9X]$'
     and substr('10X98765432',
                (select sum(substr(p_id, i, 1)::int * (array[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[i])
                   from generate_series(1, 17) i)::int % 11 + 1, 1) = substr(p_id, 18, 1)
$$;
comment on function private.is_valid_resident_id(text) is
  'GB 11643-1999: 17 digits and a check character (0-9 or X) from the weighted sum mod 11.';

create function private.is_valid_credit_code(p_code text) returns boolean
language sql immutable parallel safe set search_path = ''
as $$
  with alphabet as (select '0123456789ABCDEFGHJKLMNPQRTUWXY'::text as a),
       w as (select array[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as w)
  select p_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'
     and substr(alphabet.a,
                (31 - (select sum((strpos(alphabet.a, substr(p_code, i, 1)) - 1) * w.w[i]) from generate_series(1, 17) i)::int % 31) % 31 + 1,
                1) = substr(p_code, 18, 1)
    from alphabet, w
$$;
comment on function private.is_valid_credit_code(text) is
  'GB 32100-2015: the 18th character of a unified social credit code from the weighted sum of the first 17 mod 31. Some real codes fail it, so a failing code is flagged for review, not refused.';

revoke execute on function private.is_valid_resident_id(text), private.is_valid_credit_code(text) from public;
grant execute on function private.is_valid_resident_id(text), private.is_valid_credit_code(text) to authenticated, service_role;

-- =====================================================================================================
-- shared steps (no grants: only the RPCs call them)
-- =====================================================================================================
create function private.bump_application_version() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.version := old.version + 1;
  return new;
end
$$;
comment on function private.bump_application_version() is 'Every change of an application bumps its version.';
revoke execute on function private.bump_application_version() from public;
create trigger applications_version before update on public.applications
  for each row execute function private.bump_application_version();

create function private.application_link(p_id uuid) returns text
language sql immutable set search_path = ''
as $$ select '/subpackages/apply/pages/detail/index?id=' || p_id::text $$;
comment on function private.application_link(uuid) is 'The applicant''s page of an application: where their notifications lead.';

create function private.application_review_link(p_id uuid) returns text
language sql immutable set search_path = ''
as $$ select '/subpackages/review/pages/application/index?id=' || p_id::text $$;
comment on function private.application_review_link(uuid) is 'The reviewer''s page of an application: where a butler''s notifications lead.';

create function private.without_secrets(p public.applications) returns public.applications
language plpgsql immutable set search_path = ''
as $$
begin
  p.resident_id := null;
  p.bank_account := null;
  return p;
end
$$;
comment on function private.without_secrets(public.applications) is
  'The row as the API hands it out: resident_id and bank_account blank (their masked columns stay). Full values only through application_sensitive.';

create function private.log_application_event(
  p_app public.applications, p_from public.application_status, p_note text default '', p_detail jsonb default '{}'
) returns bigint
language sql volatile security definer set search_path = ''
as $$
  insert into public.application_events (application_id, actor_id, from_status, to_status, note, detail)
  values (p_app.id, (select auth.uid()), p_from, p_app.status, left(coalesce(p_note, ''), 500), coalesce(p_detail, '{}'))
  returning id
$$;
comment on function private.log_application_event(public.applications, public.application_status, text, jsonb) is
  'Appends one history row for an application transition, as the caller (null for the system).';

create function private.notify_applicant(p_app public.applications, p_event bigint, p_title text, p_body text)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.notify(
    p_app.applicant_id, 'application_status', left(p_title, 40), left(p_body, 200), private.application_link(p_app.id),
    jsonb_build_object('application_id', p_app.id, 'status', p_app.status), 'application:' || p_app.id || ':' || p_event,
    'application_status');
end
$$;
comment on function private.notify_applicant(public.applications, bigint, text, text) is
  'Tells the applicant about a step of their application: message centre, and a WeChat push where they subscribed (template application_status).';

create function private.programme_label(p_programme uuid) returns text
language sql stable security definer set search_path = ''
as $$ select s.name from public.subsidy_programmes s where s.id = p_programme $$;
comment on function private.programme_label(uuid) is 'A programme''s name, for messages.';

create function private.lock_application(p_id uuid) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.applications;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v from public.applications a where a.id = p_id for update;
  if v.id is null or not (v.applicant_id = (select auth.uid())
                          or (v.status <> 'draft' and (v.group_id in (select private.my_review_group_ids()) or private.is_admin()))) then
    raise exception '找不到这份申报' using errcode = 'P0002';
  end if;
  return v;
end
$$;
comment on function private.lock_application(uuid) is
  'The application, locked for the rest of the transaction (a concurrent change waits, then sees this one''s outcome); P0002 for one the caller may not read (someone else''s draft is nobody''s business).';

create function private.lock_own_application(p_id uuid) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.applications := private.lock_application(p_id);
begin
  if v.applicant_id <> (select auth.uid()) then
    raise exception '只有申请人本人可以修改申报' using errcode = '42501';
  end if;
  return v;
end
$$;
comment on function private.lock_own_application(uuid) is 'The caller''s own application, locked; 42501 for a reviewer, P0002 for anyone else.';

create function private.supplement_lists(p_app public.applications, p_kind text, p_key text) returns boolean
language sql immutable set search_path = ''
as $$
  select p_app.supplement is not null and exists (
    select 1 from jsonb_array_elements(p_app.supplement) i where i ->> 'kind' = p_kind and i ->> 'key' = p_key
  )
$$;
comment on function private.supplement_lists(public.applications, text, text) is 'True when the open 补正 list names this field or material.';

-- =====================================================================================================
-- the fields an applicant fills in
-- =====================================================================================================
create function private.application_field_label(p_key text) returns text
language sql immutable set search_path = ''
as $$
  select case p_key
    when 'real_name' then '真实姓名' when 'resident_id' then '身份证号' when 'phone' then '手机号码'
    when 'bank_name' then '开户银行' when 'bank_account' then '银行账号' when 'business_name' then '企业名称'
    when 'credit_code' then '统一社会信用代码' when 'registered_on' then '成立日期' when 'employees' then '从业人数'
    when 'requested_amount' then '申请金额' when 'group_id' then '所在创业群' end
$$;
comment on function private.application_field_label(text) is 'The Chinese label of an application field (null for an unknown key): messages and the 补正 list.';

create function private.bad_field(p_key text, p_message text) returns void
language plpgsql immutable set search_path = ''
as $$
begin
  raise exception '%', p_message using errcode = '22023', hint = p_key;
end
$$;
comment on function private.bad_field(text, text) is 'Refuses a field (22023) with a Chinese message and the field name as HINT, so the form marks it.';

create function private.json_text(p_fields jsonb, p_key text) returns text
language plpgsql immutable set search_path = ''
as $$
begin
  if jsonb_typeof(p_fields -> p_key) not in ('string', 'number') then
    perform private.bad_field(p_key, private.application_field_label(p_key) || '格式不正确');
  end if;
  return nullif(btrim(p_fields ->> p_key), '');
end
$$;
comment on function private.json_text(jsonb, text) is 'A field''s value as trimmed text (null when empty); 22023 for an object, array or boolean.';

-- Validates the fields given and returns them as an applications row to copy from (only the keys in
-- p_fields are meant); raises before anything is written.
create function private.check_application_fields(p_fields jsonb, p_programme public.subsidy_programmes)
returns public.applications
language plpgsql stable security definer set search_path = ''
as $$
declare
  r public.applications;
  k text;
  v text;
  v_today date := (now() at time zone 'Asia/Shanghai')::date;
begin
  if p_fields is null or jsonb_typeof(p_fields) <> 'object' then
    raise exception '申报内容格式不正确' using errcode = '22023', hint = 'fields';
  end if;
  if pg_column_size(p_fields) > 4096 then
    raise exception '申报内容过长' using errcode = '22023', hint = 'fields';
  end if;
  for k in select jsonb_object_keys(p_fields) loop
    if private.application_field_label(k) is null then
      raise exception '不支持的申报字段：%', left(k, 40) using errcode = '22023', hint = left(k, 40);
    end if;
    if jsonb_typeof(p_fields -> k) = 'null' then
      continue; -- clears the field
    end if;
    v := private.json_text(p_fields, k);
    if v is null then
      continue;
    end if;
    case k
      when 'real_name' then
        if char_length(v) not between 2 and 20 or v !~ '^[一-龥·A-Za-z ]+$' then
          perform private.bad_field(k, '请填写与身份证一致的真实姓名（2到20个字）');
        end if;
        r.real_name := v;
      when 'resident_id' then
        v := upper(replace(v, ' ', ''));
        if v ~ '^[0-9]{15}$' then
          perform private.bad_field(k, '不支持15位旧身份证号码，请填写18位居民身份证号码');
        elsif v !~ '^[0-9]{17}[0-9X]$' then
          perform private.bad_field(k, '身份证号码应为18位（最后一位可以是X）');
        elsif not private.is_valid_resident_id(v) then
          perform private.bad_field(k, '身份证号码校验位不正确，请核对后重新填写');
        end if;
        r.resident_id := v;
      when 'phone' then
        v := replace(replace(v, ' ', ''), '-', '');
        if v !~ '^1[3-9][0-9]{9}$' then
          perform private.bad_field(k, '请填写11位手机号码');
        end if;
        r.phone := v;
      when 'bank_name' then
        if char_length(v) not between 2 and 40 then
          perform private.bad_field(k, '请填写开户银行（2到40个字）');
        end if;
        r.bank_name := v;
      when 'bank_account' then
        v := replace(v, ' ', '');
        if v !~ '^[0-9]{12,30}$' then
          perform private.bad_field(k, '银行账号应为12到30位数字');
        end if;
        r.bank_account := v;
      when 'business_name' then
        if char_length(v) not between 2 and 60 then
          perform private.bad_field(k, '请填写营业执照上的企业名称（2到60个字）');
        end if;
        r.business_name := v;
      when 'credit_code' then
        v := upper(replace(v, ' ', ''));
        if v !~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' then
          perform private.bad_field(k, '统一社会信用代码应为18位数字或大写字母');
        end if;
        r.credit_code := v;
        r.credit_code_needs_review := not private.is_valid_credit_code(v);
      when 'registered_on' then
        if v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
          perform private.bad_field(k, '成立日期格式不正确');
        end if;
        begin
          r.registered_on := v::date;
        exception when others then
          perform private.bad_field(k, '成立日期格式不正确');
        end;
        if r.registered_on > v_today then
          perform private.bad_field(k, '成立日期不能晚于今天');
        end if;
        if r.registered_on < date '1980-01-01' then
          perform private.bad_field(k, '成立日期格式不正确');
        end if;
      when 'employees' then
        if v !~ '^[0-9]{1,4}$' then
          perform private.bad_field(k, '从业人数应为0到9999之间的整数');
        end if;
        r.employees := v::int;
      when 'requested_amount' then
        if v !~ '^[0-9]{1,10}(\.[0-9]{1,2})?$' or v::numeric <= 0 or v::numeric > p_programme.max_amount then
          perform private.bad_field(k, '申请金额应大于0元且不超过' || trim_scale(p_programme.max_amount) || '元');
        end if;
        r.requested_amount := v::numeric(12, 2);
      when 'group_id' then
        r.group_id := private.uuid_or_null(v);
        if r.group_id is null or not private.is_group_member(r.group_id) then
          perform private.bad_field(k, '只能选择您已加入的创业群');
        end if;
    end case;
  end loop;
  return r;
end
$$;
comment on function private.check_application_fields(jsonb, public.subsidy_programmes) is
  'Checks every field given (22023, Chinese message, HINT = the field) and returns them normalised in an applications row. Nothing is written here, so a bad field leaves the draft as it was.';

create function private.check_programme_open(p_programme public.subsidy_programmes) returns void
language plpgsql stable set search_path = ''
as $$
declare
  v_today date := (now() at time zone 'Asia/Shanghai')::date;
begin
  if p_programme.id is null then
    raise exception '找不到这个补贴项目' using errcode = 'P0002';
  end if;
  if not p_programme.active or (p_programme.closes_on is not null and p_programme.closes_on < v_today) then
    raise exception '补贴项目“%”已截止申报', p_programme.name using errcode = 'P0001';
  end if;
  if p_programme.opens_on > v_today then
    raise exception '补贴项目“%”将于%开始申报', p_programme.name, to_char(p_programme.opens_on, 'YYYY年MM月DD日') using errcode = 'P0001';
  end if;
end
$$;
comment on function private.check_programme_open(public.subsidy_programmes) is 'Refuses (P0001) a programme that is closed, inactive or not open yet, naming it.';

create function private.check_not_granted(p_applicant uuid, p_programme public.subsidy_programmes, p_except uuid) returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if exists (select 1 from public.applications a
              where a.applicant_id = p_applicant and a.programme_id = p_programme.id and a.id is distinct from p_except
                and a.status in ('approved', 'filed', 'disbursed')) then
    raise exception '您已获得过“%”，不能重复申请', p_programme.name using errcode = 'P0001';
  end if;
end
$$;
comment on function private.check_not_granted(uuid, public.subsidy_programmes, uuid) is 'Refuses (P0001) a second application to a programme the person was already granted.';

-- =====================================================================================================
-- the draft
-- =====================================================================================================
create function private.save_application_draft(p_id uuid, p_programme uuid, p_fields jsonb) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_old public.applications;
  v_prog public.subsidy_programmes;
  r public.applications;
  v public.applications;
  k text;
  v_group uuid;
  v_groups uuid[];
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if p_id is not null then
    select * into v_old from public.applications a where a.id = p_id for update;
  end if;

  if v_old.id is not null then
    -- An existing application: only its applicant, only while editable.
    if v_old.applicant_id <> v_me then
      if v_old.status <> 'draft' and (v_old.group_id in (select private.my_review_group_ids()) or private.is_admin()) then
        raise exception '只有申请人本人可以修改申报' using errcode = '42501';
      end if;
      raise exception '找不到这份申报' using errcode = 'P0002';
    end if;
    if p_programme is not null and p_programme <> v_old.programme_id then
      raise exception '申报的补贴项目不能更改，请另行申请' using errcode = '22023', hint = 'programme_id';
    end if;
    if v_old.status not in ('draft', 'needs_supplement') then
      raise exception '申报已提交，不能再修改' using errcode = 'P0001';
    end if;
    select * into v_prog from public.subsidy_programmes s where s.id = v_old.programme_id;
    r := private.check_application_fields(coalesce(p_fields, '{}'), v_prog);
    if v_old.status = 'needs_supplement' then
      -- A form that sends a whole step again is fine as long as what is not listed stays as it was.
      for k in select jsonb_object_keys(p_fields) loop
        if not private.supplement_lists(v_old, 'field', k) and (to_jsonb(r) -> k) is distinct from (to_jsonb(v_old) -> k) then
          raise exception '该项已锁定：%不在补正清单中', private.application_field_label(k) using errcode = '42501', hint = k;
        end if;
      end loop;
    end if;
    if p_fields ? 'group_id' and v_old.status <> 'draft' then
      raise exception '该项已锁定：所在创业群' using errcode = '42501', hint = 'group_id';
    end if;
    update public.applications a set
      real_name = case when p_fields ? 'real_name' then r.real_name else a.real_name end,
      resident_id = case when p_fields ? 'resident_id' then r.resident_id else a.resident_id end,
      phone = case when p_fields ? 'phone' then r.phone else a.phone end,
      bank_name = case when p_fields ? 'bank_name' then r.bank_name else a.bank_name end,
      bank_account = case when p_fields ? 'bank_account' then r.bank_account else a.bank_account end,
      business_name = case when p_fields ? 'business_name' then r.business_name else a.business_name end,
      credit_code = case when p_fields ? 'credit_code' then r.credit_code else a.credit_code end,
      credit_code_needs_review = case when p_fields ? 'credit_code' then coalesce(r.credit_code_needs_review, false) else a.credit_code_needs_review end,
      registered_on = case when p_fields ? 'registered_on' then r.registered_on else a.registered_on end,
      employees = case when p_fields ? 'employees' then r.employees else a.employees end,
      requested_amount = case when p_fields ? 'requested_amount' then r.requested_amount else a.requested_amount end,
      group_id = coalesce(case when p_fields ? 'group_id' then r.group_id end, a.group_id),
      street = coalesce((select g.district from public.groups g where g.id = case when p_fields ? 'group_id' then r.group_id end), a.street)
     where a.id = v_old.id
    returning * into v;
    return private.without_secrets(v);
  end if;

  -- A new draft (the client may choose its id, so a retried create finds the row above).
  select * into v_prog from public.subsidy_programmes s where s.id = p_programme;
  if v_prog.id is null then
    raise exception '请选择要申请的补贴项目' using errcode = '22023', hint = 'programme_id';
  end if;
  perform private.check_programme_open(v_prog);
  perform private.check_not_granted(v_me, v_prog, null);
  if exists (select 1 from public.applications a
              where a.applicant_id = v_me and a.programme_id = v_prog.id and a.status not in ('rejected', 'not_disbursed')) then
    raise exception '您已有一份“%”的申报，请在“我的申报”中继续', v_prog.name using errcode = 'P0001';
  end if;
  r := private.check_application_fields(coalesce(p_fields, '{}'), v_prog);
  v_group := r.group_id;
  if v_group is null then
    select array_agg(m.group_id order by m.joined_at) into v_groups
      from public.group_members m join public.groups g on g.id = m.group_id
     where m.user_id = v_me and g.archived_at is null;
    if coalesce(cardinality(v_groups), 0) = 0 then
      raise exception '请先加入所在街道的创业群，再申报补贴' using errcode = 'P0001';
    elsif cardinality(v_groups) > 1 then
      raise exception '您加入了多个创业群，请选择由哪个街道受理' using errcode = '22023', hint = 'group_id';
    end if;
    v_group := v_groups[1];
  end if;
  begin
    insert into public.applications (
      id, applicant_id, programme_id, group_id, street, real_name, resident_id, phone, bank_name, bank_account,
      business_name, credit_code, credit_code_needs_review, registered_on, employees, requested_amount)
    select coalesce(p_id, gen_random_uuid()), v_me, v_prog.id, v_group, g.district, r.real_name, r.resident_id, r.phone,
           r.bank_name, r.bank_account, r.business_name, r.credit_code, coalesce(r.credit_code_needs_review, false),
           r.registered_on, r.employees, r.requested_amount
      from public.groups g where g.id = v_group
    returning * into v;
  exception when unique_violation then
    -- Two creates at once (a retry racing the first try): the one that lost sees the winner's row.
    select * into v from public.applications a where a.id = p_id and a.applicant_id = v_me;
    if v.id is null then
      raise exception '您已有一份“%”的申报，请在“我的申报”中继续', v_prog.name using errcode = 'P0001';
    end if;
  end;
  return private.without_secrets(v);
end
$$;
comment on function private.save_application_draft(uuid, uuid, jsonb) is
  'Creates the caller''s draft (in their group; a closed or already granted programme, or a second live application, is refused) or saves fields into it; in 待补正 only the listed fields. Every field is checked before anything is written.';

create function public.save_application_draft(application_id uuid, programme_id uuid, fields jsonb default '{}')
returns public.applications
language sql volatile security invoker set search_path = ''
as $$ select private.save_application_draft(application_id, programme_id, fields) $$;
comment on function public.save_application_draft(uuid, uuid, jsonb) is
  '保存草稿: creates (application_id may be chosen by the client, so a retry is harmless) or updates the caller''s draft; answers the row with resident_id and bank_account blank (see the *_masked columns).';

create function private.record_application_consent(p_id uuid, p_version text) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_old public.applications := private.lock_own_application(p_id);
  v public.applications;
begin
  if p_version is null or p_version !~ '^[0-9A-Za-z.-]{1,20}$' then
    raise exception '个人信息处理说明的版本不正确' using errcode = '22023', hint = 'notice_version';
  end if;
  if v_old.status <> 'draft' then
    raise exception '申报已提交，不能再修改' using errcode = 'P0001';
  end if;
  if v_old.consent_notice_version = p_version then
    return private.without_secrets(v_old);
  end if;
  update public.applications a set consent_notice_version = p_version, consented_at = now()
   where a.id = v_old.id returning * into v;
  insert into public.consents (user_id, purpose, version) values (v.applicant_id, 'personal_info', p_version);
  return private.without_secrets(v);
end
$$;
comment on function private.record_application_consent(uuid, text) is
  'Records the applicant''s separate consent to the sensitive data of an application (the notice version, also kept in consents as personal_info).';

create function public.record_application_consent(application_id uuid, notice_version text) returns public.applications
language sql volatile security invoker set search_path = ''
as $$ select private.record_application_consent(application_id, notice_version) $$;
comment on function public.record_application_consent(uuid, text) is '同意 the sensitive-data notice of this version for this application (the applicant, while a draft).';

-- =====================================================================================================
-- materials
-- =====================================================================================================
create function private.programme_material(p_programme uuid, p_key text) returns jsonb
language sql stable security definer set search_path = ''
as $$
  select m from public.subsidy_programmes s, jsonb_array_elements(s.materials) m
   where s.id = p_programme and m ->> 'key' = p_key
   limit 1
$$;
comment on function private.programme_material(uuid, text) is 'One material of a programme''s list, by key (null when the programme asks for no such material).';

create function private.attach_application_material(p_id uuid, p_key text, p_path text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_app public.applications := private.lock_own_application(p_id);
  v_material jsonb;
  v_object record;
  v_id uuid;
begin
  if v_app.status = 'needs_supplement' then
    if not private.supplement_lists(v_app, 'material', p_key) then
      raise exception '该项已锁定：这项材料不在补正清单中' using errcode = '42501', hint = 'material_key';
    end if;
  elsif v_app.status <> 'draft' then
    raise exception '申报已提交，不能再修改材料' using errcode = 'P0001';
  end if;
  v_material := private.programme_material(v_app.programme_id, p_key);
  if v_material is null then
    raise exception '这个补贴项目不需要这项材料' using errcode = '22023', hint = 'material_key';
  end if;
  if p_path is null or split_part(p_path, '/', 1) <> v_app.applicant_id::text or split_part(p_path, '/', 2) <> v_app.id::text
     or array_length(string_to_array(p_path, '/'), 1) <> 3 then
    raise exception '只能使用本人为这份申报上传的文件' using errcode = '42501', hint = 'path';
  end if;
  select id into v_id from public.application_materials m where m.application_id = v_app.id and m.object_path = p_path;
  if v_id is not null then
    return v_id; -- attached already: a retry
  end if;
  select o.id, coalesce((o.metadata ->> 'size')::bigint, 0) as size, v.kind
    into v_object
    from storage.objects o
    join private.verified_objects v on v.object_id = o.id and v.version = o.version and v.passed
   where o.bucket_id = 'application-materials' and o.name = p_path and o.owner_id = v_app.applicant_id::text;
  if v_object.id is null then
    raise exception '文件还没有通过校验，请重新上传（仅支持20MB以内的照片或PDF）' using errcode = '22023', hint = 'path';
  end if;
  if v_material ->> 'kind' = 'photo' and v_object.kind not like 'image/%' then
    raise exception '材料“%”需要上传照片', v_material ->> 'name' using errcode = '22023', hint = 'path';
  end if;
  if v_material ->> 'kind' = 'pdf' and v_object.kind <> 'application/pdf' then
    raise exception '材料“%”需要上传PDF文件', v_material ->> 'name' using errcode = '22023', hint = 'path';
  end if;
  if (select count(*) from public.application_materials m where m.application_id = v_app.id and m.material_key = p_key)
     >= coalesce((v_material ->> 'max_files')::int, 1) then
    raise exception '材料“%”最多上传%个文件，请先删除再上传', v_material ->> 'name', coalesce((v_material ->> 'max_files')::int, 1)
      using errcode = '22023', hint = 'material_key';
  end if;
  insert into public.application_materials (application_id, material_key, object_path, mime, size)
  values (v_app.id, p_key, p_path, v_object.kind, greatest(v_object.size, 1))
  returning id into v_id;
  update public.applications a set updated_at = now() where a.id = v_app.id;
  return v_id;
end
$$;
comment on function private.attach_application_material(uuid, text, text) is
  'Attaches a verified object of the applicant''s folder for this application under one of the programme''s material keys (photo / PDF as the programme asks, at most max_files); in 待补正 only listed materials. A retry with the same path is harmless.';

create function public.attach_application_material(application_id uuid, material_key text, path text)
returns public.application_materials
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.attach_application_material(application_id, material_key, path);
  v public.application_materials;
begin
  select * into v from public.application_materials m where m.id = v_id;
  return v;
end
$$;
comment on function public.attach_application_material(uuid, text, text) is '上传材料: attaches a verified upload (application-materials/<me>/<application>/<file>) to the caller''s editable application.';

create function private.remove_application_material(p_material uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_row public.application_materials;
  v_app public.applications;
begin
  select * into v_row from public.application_materials m where m.id = p_material;
  if v_row.id is null then
    raise exception '找不到这份材料' using errcode = 'P0002';
  end if;
  v_app := private.lock_own_application(v_row.application_id);
  if v_app.status = 'needs_supplement' then
    if not private.supplement_lists(v_app, 'material', v_row.material_key) then
      raise exception '该项已锁定：这项材料不在补正清单中' using errcode = '42501', hint = 'material_key';
    end if;
  elsif v_app.status <> 'draft' then
    raise exception '申报已提交，不能再修改材料' using errcode = 'P0001';
  end if;
  delete from public.application_materials m where m.id = v_row.id;
  update public.applications a set updated_at = now() where a.id = v_app.id;
end
$$;
comment on function private.remove_application_material(uuid) is 'Takes a material off the caller''s draft, or off a material listed in the open 补正.';

create function public.remove_application_material(material_id uuid) returns void
language sql volatile security invoker set search_path = ''
as $$ select private.remove_application_material(material_id) $$;
comment on function public.remove_application_material(uuid) is '删除材料 from the caller''s editable application (the file itself is removed from Storage by the client).';

-- =====================================================================================================
-- submitting
-- =====================================================================================================
create function private.submit_application(p_id uuid) returns public.applications
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_app public.applications := private.lock_own_application(p_id);
  v_prog public.subsidy_programmes;
  v public.applications;
  v_missing text[];
  v_hint text;
  v_business boolean;
  m jsonb;
  v_event bigint;
  v_asked_at timestamptz;
begin
  if v_app.status not in ('draft', 'needs_supplement') then
    return private.without_secrets(v_app); -- submitted already (a double tap, a retry after a timeout)
  end if;
  select * into v_prog from public.subsidy_programmes s where s.id = v_app.programme_id;
  if v_app.status = 'draft' then
    perform private.check_programme_open(v_prog);
  end if;
  perform private.check_not_granted(v_app.applicant_id, v_prog, v_app.id);
  if v_app.consent_notice_version is null then
    raise exception '请先阅读并同意个人信息处理说明' using errcode = '22023', hint = 'consent';
  end if;

  v_business := exists (select 1 from jsonb_array_elements(v_prog.eligibility) e
                         where e ->> 'rule' in ('has_business', 'registered_within_months', 'employees_at_least'));
  select array_agg(f order by o), (array_agg(f order by o))[1] into v_missing, v_hint
    from (values (1, 'real_name', v_app.real_name is null), (2, 'resident_id', v_app.resident_id is null),
                 (3, 'phone', v_app.phone is null), (4, 'bank_name', v_app.bank_name is null),
                 (5, 'bank_account', v_app.bank_account is null),
                 (6, 'business_name', v_business and v_app.business_name is null),
                 (7, 'credit_code', v_business and v_app.credit_code is null),
                 (8, 'registered_on', v_business and v_app.registered_on is null),
                 (9, 'employees', v_business and v_app.employees is null),
                 (10, 'requested_amount', v_app.requested_amount is null and v_prog.default_amount is null)) x(o, f, missing)
   where missing;
  if v_missing is not null then
    raise exception '请填写：%', (select string_agg(private.application_field_label(f), '、') from unnest(v_missing) f)
      using errcode = '22023', hint = v_hint;
  end if;

  if v_app.status = 'needs_supplement' then
    select max(e.created_at) into v_asked_at from public.application_events e
     where e.application_id = v_app.id and e.to_status = 'needs_supplement';
  end if;
  for m in select * from jsonb_array_elements(v_prog.materials) loop
    if coalesce((m ->> 'required')::boolean, true) and not exists (
         select 1 from public.application_materials am where am.application_id = v_app.id and am.material_key = m ->> 'key') then
      raise exception '请上传：%', m ->> 'name' using errcode = '22023', hint = m ->> 'key';
    end if;
    if private.supplement_lists(v_app, 'material', m ->> 'key') and not exists (
         select 1 from public.application_materials am
          where am.application_id = v_app.id and am.material_key = m ->> 'key' and am.created_at > v_asked_at) then
      raise exception '请按补正要求重新上传：%', m ->> 'name' using errcode = '22023', hint = m ->> 'key';
    end if;
  end loop;

  update public.applications a
     set status = 'submitted', submitted_at = now(), supplement = null,
         requested_amount = coalesce(a.requested_amount, v_prog.default_amount)
   where a.id = v_app.id
  returning * into v;
  if v_app.status = 'draft' then
    v_event := private.log_application_event(v, v_app.status, '');
    perform private.notify_applicant(v, v_event, '申报已提交：' || v_prog.name,
      '您的“' || v_prog.name || '”申报已提交，创业管家将尽快审核，请留意审核进度。');
  else
    v_event := private.log_application_event(v, v_app.status, '已按补正要求重新提交', jsonb_build_object('supplement', v_app.supplement));
    if v.reviewer_id is not null then
      perform private.notify(
        v.reviewer_id, 'application_resubmitted', left('申报已补正：' || v_prog.name, 40),
        left(coalesce(v.real_name_masked, '申请人') || '已按补正要求重新提交，请重新审核。', 200),
        private.application_review_link(v.id), jsonb_build_object('application_id', v.id),
        'application:' || v.id || ':' || v_event || ':reviewer', 'application_status');
    end if;
  end if;
  return private.without_secrets(v);
end
$$;
comment on function private.submit_application(uuid) is
  'Submits the caller''s draft, or resubmits after a 补正 (the listed materials uploaded again), once every check passes: consent, required fields and materials, programme open, not granted already. Idempotent: a submitted application is answered as it is, with no second event.';

create function public.submit_application(application_id uuid) returns public.applications
language sql volatile security invoker set search_path = ''
as $$ select private.submit_application(application_id) $$;
comment on function public.submit_application(uuid) is '提交 (or 重新提交 after a 补正): idempotent — a double tap or a retry makes one submission.';

-- =====================================================================================================
-- grants
-- =====================================================================================================
revoke execute on all functions in schema private from public;
grant execute on function private.is_valid_resident_id(text), private.is_valid_credit_code(text) to authenticated, service_role;
grant execute on function private.save_application_draft(uuid, uuid, jsonb), private.record_application_consent(uuid, text),
  private.attach_application_material(uuid, text, text), private.remove_application_material(uuid),
  private.submit_application(uuid) to authenticated;
revoke execute on function public.save_application_draft(uuid, uuid, jsonb), public.record_application_consent(uuid, text),
  public.attach_application_material(uuid, text, text), public.remove_application_material(uuid),
  public.submit_application(uuid) from public, anon;
grant execute on function public.save_application_draft(uuid, uuid, jsonb), public.record_application_consent(uuid, text),
  public.attach_application_material(uuid, text, text), public.remove_application_material(uuid),
  public.submit_application(uuid) to authenticated;
