-- 走访记录 (issue 12, batches-db): a butler logs each visit to an incubation base of their street and
-- links the applications collected there. Tables in 20261203150000_batches_schema.sql; the photo
-- bucket's rules in 20261203180000_visit_photos_storage.sql.

create function private.visit_street_for(p_fields jsonb) returns text
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_street text := nullif(btrim(coalesce(p_fields->>'street', '')), '');
  v_streets text[];
begin
  if v_street is null then
    -- Not given: the caller's one street, when they look after only one.
    select array_agg(distinct g.district) into v_streets
      from public.groups g where g.id in (select private.my_review_group_ids());
    if cardinality(v_streets) = 1 then
      return v_streets[1];
    end if;
    raise exception '请选择走访的街道' using errcode = '22023', hint = 'street';
  end if;
  if private.is_street_butler(v_street)
     or (private.is_admin() and exists (select 1 from public.groups g where g.district = v_street)) then
    return v_street;
  end if;
  raise exception '只能记录您负责的街道的走访' using errcode = '22023', hint = 'street';
end
$$;
comment on function private.visit_street_for(jsonb) is
  'The street of a new visit: the one given, if the caller is a butler there (admins: any street with a group), else the caller''s only street.';

create function private.save_visit(p_id uuid, p_fields jsonb) returns public.incubation_visits
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v public.incubation_visits;
  v_key text;
  v_base text;
  v_date date;
  v_people text;
  v_notes text;
  v_photos text[];
  v_path text;
  v_today date := (now() at time zone 'Asia/Shanghai')::date;
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not private.is_staff() then
    raise exception '只有创业管家可以记录走访' using errcode = '42501';
  end if;
  if p_fields is null or jsonb_typeof(p_fields) <> 'object' then
    raise exception '走访内容格式不正确' using errcode = '22023', hint = 'fields';
  end if;
  if pg_column_size(p_fields) > 16384 then
    raise exception '走访内容过长' using errcode = '22023', hint = 'fields';
  end if;
  for v_key in select jsonb_object_keys(p_fields) loop
    if v_key not in ('street', 'base_name', 'visited_on', 'people_met', 'notes', 'photo_paths') then
      raise exception '走访记录没有这一项：%', left(v_key, 40) using errcode = '22023', hint = left(v_key, 40);
    end if;
  end loop;

  p_id := coalesce(p_id, gen_random_uuid());
  select * into v from public.incubation_visits iv where iv.id = p_id for update;
  if v.id is not null then
    if not (private.is_street_butler(v.street) or private.is_admin()) then
      raise exception '找不到该走访记录' using errcode = 'P0002';
    end if;
    if v.butler_id <> v_me then
      raise exception '只能修改自己的走访记录' using errcode = '42501';
    end if;
    if p_fields ? 'street' and btrim(coalesce(p_fields->>'street', '')) <> v.street then
      raise exception '走访记录的街道不能修改' using errcode = '22023', hint = 'street';
    end if;
  else
    if not (p_fields ? 'base_name') then
      raise exception '请填写孵化基地名称' using errcode = '22023', hint = 'base_name';
    end if;
    if not (p_fields ? 'visited_on') then
      raise exception '请选择走访日期' using errcode = '22023', hint = 'visited_on';
    end if;
  end if;

  if p_fields ? 'base_name' then
    if jsonb_typeof(p_fields->'base_name') <> 'string' or char_length(btrim(p_fields->>'base_name')) not between 2 and 60 then
      raise exception '孵化基地名称应为2到60个字' using errcode = '22023', hint = 'base_name';
    end if;
    v_base := btrim(p_fields->>'base_name');
  end if;
  if p_fields ? 'visited_on' then
    begin
      v_date := (p_fields->>'visited_on')::date;
    exception when others then
      raise exception '走访日期格式不正确' using errcode = '22023', hint = 'visited_on';
    end;
    if v_date is null or jsonb_typeof(p_fields->'visited_on') <> 'string' then
      raise exception '走访日期格式不正确' using errcode = '22023', hint = 'visited_on';
    end if;
    if v_date > v_today then
      raise exception '走访日期不能晚于今天' using errcode = '22023', hint = 'visited_on';
    end if;
    if v_date < date '2000-01-01' then
      raise exception '走访日期不正确' using errcode = '22023', hint = 'visited_on';
    end if;
  end if;
  if p_fields ? 'people_met' then
    if jsonb_typeof(p_fields->'people_met') not in ('string', 'null') or char_length(coalesce(p_fields->>'people_met', '')) > 500 then
      raise exception '走访对象不能超过500字' using errcode = '22023', hint = 'people_met';
    end if;
    v_people := btrim(coalesce(p_fields->>'people_met', ''));
  end if;
  if p_fields ? 'notes' then
    if jsonb_typeof(p_fields->'notes') not in ('string', 'null') or char_length(coalesce(p_fields->>'notes', '')) > 4000 then
      raise exception '走访情况不能超过4000字' using errcode = '22023', hint = 'notes';
    end if;
    v_notes := btrim(coalesce(p_fields->>'notes', ''));
  end if;
  if p_fields ? 'photo_paths' then
    if jsonb_typeof(p_fields->'photo_paths') <> 'array'
       or exists (select 1 from jsonb_array_elements(p_fields->'photo_paths') e where jsonb_typeof(e) <> 'string') then
      raise exception '照片格式不正确' using errcode = '22023', hint = 'photo_paths';
    end if;
    select coalesce(array_agg(distinct e), '{}') into v_photos from jsonb_array_elements_text(p_fields->'photo_paths') e;
    if cardinality(v_photos) > 9 then
      raise exception '每次走访最多9张照片' using errcode = '22023', hint = 'photo_paths';
    end if;
    foreach v_path in array v_photos loop
      if char_length(v_path) > 300
         or not private.is_clean_object_name(v_path)
         or coalesce(array_length(storage.foldername(v_path), 1), 0) <> 2
         or (storage.foldername(v_path))[1] <> v_me::text
         or (storage.foldername(v_path))[2] <> p_id::text then
        raise exception '照片应上传到本次走访的文件夹' using errcode = '22023', hint = 'photo_paths';
      end if;
      if not private.is_verified_object('visit-photos', v_path) then
        raise exception '照片未上传完成或未通过检查，请重新上传' using errcode = '22023', hint = 'photo_paths';
      end if;
    end loop;
  end if;

  if v.id is null then
    insert into public.incubation_visits (id, butler_id, street, base_name, visited_on, people_met, notes, photo_paths)
    values (p_id, v_me, private.visit_street_for(p_fields), v_base, v_date, coalesce(v_people, ''), coalesce(v_notes, ''),
            coalesce(v_photos, '{}'))
    returning * into v;
  else
    update public.incubation_visits iv
       set base_name = coalesce(v_base, iv.base_name),
           visited_on = coalesce(v_date, iv.visited_on),
           people_met = coalesce(v_people, iv.people_met),
           notes = coalesce(v_notes, iv.notes),
           photo_paths = coalesce(v_photos, iv.photo_paths)
     where iv.id = v.id
    returning * into v;
  end if;
  return v;
end
$$;
comment on function private.save_visit(uuid, jsonb) is
  'Creates (with the id the client chose, so a retry is one visit) or updates the caller''s own visit; each field given is checked (22023 with the field as HINT, nothing saved); photos must be verified objects of visit-photos under <own id>/<visit id>/.';

create function public.save_visit(visit_id uuid, fields jsonb) returns public.incubation_visits
language sql volatile security invoker set search_path = ''
as $$ select * from private.save_visit(visit_id, fields) $$;
comment on function public.save_visit(uuid, jsonb) is
  '记录走访 (butlers of the street, admins): fields street (new visits; defaults to the caller''s only street), base_name, visited_on (not in the future), people_met, notes, photo_paths (at most 9 verified photos under <own id>/<visit id>/). Creates the visit with this id, or updates one''s own.';
revoke execute on function public.save_visit(uuid, jsonb) from public, anon;

create function private.link_visit_application(p_visit uuid, p_app uuid, p_linked boolean) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v public.incubation_visits;
  v_app public.applications;
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not private.is_staff() then
    raise exception '只有创业管家可以关联走访' using errcode = '42501';
  end if;
  if p_linked is null then
    raise exception '请说明关联还是取消关联' using errcode = '22023', hint = 'linked';
  end if;
  select * into v from public.incubation_visits iv where iv.id = p_visit for update;
  if v.id is null or not (private.is_street_butler(v.street) or private.is_admin()) then
    raise exception '找不到该走访记录' using errcode = 'P0002';
  end if;
  if v.butler_id <> v_me then
    raise exception '只能修改自己的走访记录' using errcode = '42501';
  end if;
  select * into v_app from public.applications a where a.id = p_app;
  if v_app.id is null or not (v_app.group_id in (select private.my_review_group_ids()) or private.is_admin()) then
    raise exception '找不到这份申报' using errcode = 'P0002';
  end if;
  if p_linked then
    if v_app.street <> v.street then
      raise exception '该申报不属于本次走访的街道' using errcode = '22023', hint = 'application_id';
    end if;
    if v_app.status = 'draft' then
      raise exception '尚未提交的申报不能关联走访' using errcode = '22023', hint = 'application_id';
    end if;
    insert into public.visit_applications (visit_id, application_id, linked_by)
    values (v.id, v_app.id, v_me)
    on conflict do nothing;
  else
    delete from public.visit_applications va where va.visit_id = v.id and va.application_id = v_app.id;
  end if;
  return p_linked;
end
$$;
comment on function private.link_visit_application(uuid, uuid, boolean) is
  'Links (or unlinks) an application the caller reviews, of the visit''s street and submitted, to their own visit. Idempotent.';

create function public.link_visit_application(visit_id uuid, application_id uuid, linked boolean default true) returns boolean
language sql volatile security invoker set search_path = ''
as $$ select private.link_visit_application(visit_id, application_id, linked) $$;
comment on function public.link_visit_application(uuid, uuid, boolean) is
  '关联走访申报: links (linked true) or unlinks an application collected at one''s own visit; answers whether it is linked now.';
revoke execute on function public.link_visit_application(uuid, uuid, boolean) from public, anon;

revoke execute on all functions in schema private from public;
grant execute on function private.save_visit(uuid, jsonb), private.link_visit_application(uuid, uuid, boolean)
  to authenticated, service_role;
