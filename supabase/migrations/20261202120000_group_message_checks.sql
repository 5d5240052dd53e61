-- Content security of group messages (内容安全, issue 10): every member's message waits in
-- private.group_message_checks until WeChat has judged it, and is then published or flagged.
--
--   text          msgSecCheck (v2) answers at once: result.suggest pass → published; risky or review →
--                 flagged.
--   image, voice  mediaCheckAsync (v2) answers with a trace_id; the verdict arrives later as a
--                 wxa_media_check event at the content-check function, which records it here by trace_id.
--                 Without a verdict by the deadline the media is submitted again.
--
-- The content-check function (supabase/functions/content-check) claims due checks under a lease (skip
-- locked, like notify-dispatch), records outcomes in bulk, and puts a check back with a growing delay
-- while WeChat cannot be reached: a check service that is down delays publishing and never loses a
-- message. There is no "give up": a message WeChat will not judge (e.g. it refuses the sender's openid) is
-- flagged for the group's butlers to decide (review), never published unchecked.
--
-- Flagged messages stay hidden from the group (the sender still sees their own) and are listed for the
-- group's butlers (flagged_group_messages), who may release a false alarm or erase the message.

-- =====================================================================================================
-- the queue and the verdicts
-- =====================================================================================================
create table private.group_message_checks (
  message_id uuid primary key references public.group_messages (id) on delete cascade,
  state text not null default 'due' check (state in ('due', 'awaiting')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  lease_until timestamptz,
  trace_id text unique check (char_length(trace_id) <= 128),
  last_error text check (char_length(last_error) <= 500),
  created_at timestamptz not null default now()
);
comment on table private.group_message_checks is
  'Messages waiting for WeChat''s content check, one row each until a verdict; claimed by the content-check function (service role) under a lease.';
comment on column private.group_message_checks.state is
  'due: to be sent to WeChat when next_attempt_at comes; awaiting: media submitted to mediaCheckAsync, waiting for its event until next_attempt_at (then submitted again).';
comment on column private.group_message_checks.trace_id is 'mediaCheckAsync''s trace_id of the latest submission: the wxa_media_check event names it.';
create index group_message_checks_due_idx on private.group_message_checks (next_attempt_at);
revoke all on private.group_message_checks from public, anon, authenticated;
grant select, update on private.group_message_checks to service_role;

create table private.group_message_verdicts (
  message_id uuid primary key references public.group_messages (id) on delete cascade,
  suggest text not null check (suggest in ('pass', 'risky', 'review')),
  label integer,
  source text not null check (source in ('msgSecCheck', 'mediaCheckAsync', 'butler')),
  detail text check (char_length(detail) <= 500),
  decided_by uuid references public.profiles (id) on delete set null,
  decided_at timestamptz not null default now()
);
comment on table private.group_message_verdicts is
  'Why a message was published or flagged: WeChat''s suggest and label, or the butler who released or erased it. Read by butlers through flagged_group_messages.';
comment on column private.group_message_verdicts.label is 'WeChat''s label (100 normal, 20001 political, 20002 pornographic, 20006 illegal, 21000 other, …).';
create index group_message_verdicts_decided_by_idx on private.group_message_verdicts (decided_by);
revoke all on private.group_message_verdicts from public, anon, authenticated, service_role;

-- =====================================================================================================
-- applying a verdict
-- =====================================================================================================
create function private.apply_message_verdict(p_id uuid, p_suggest text, p_label int, p_source text, p_detail text)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  m public.group_messages;
  v_group text;
  b uuid;
begin
  -- The check row is the claim on the verdict: whoever deletes it applies it, once.
  delete from private.group_message_checks c where c.message_id = p_id;
  if not found then
    return false; -- judged already, or withdrawn meanwhile
  end if;
  insert into private.group_message_verdicts (message_id, suggest, label, source, detail)
  values (p_id, p_suggest, p_label, p_source, left(p_detail, 500))
  on conflict (message_id) do update
    set suggest = excluded.suggest, label = excluded.label, source = excluded.source, detail = excluded.detail, decided_at = now();
  if p_suggest = 'pass' then
    perform private.publish_group_message(p_id);
    return true;
  end if;
  update public.group_messages g
     set status = 'flagged', rev = private.next_group_stamp(g.group_id)
   where g.id = p_id and g.status = 'pending'
  returning * into m;
  if m.id is not null then
    select g.name into v_group from public.groups g where g.id = m.group_id;
    for b in select gm.user_id from public.group_members gm where gm.group_id = m.group_id and gm.role = 'butler' loop
      perform private.notify(
        b, 'group_message_flagged', left(v_group || '有消息待处理', 40),
        '一条消息未通过内容安全检查，已对群成员隐藏，请在管家工作台查看处理。',
        '/subpackages/butler/pages/flagged/index?id=' || m.group_id,
        jsonb_build_object('group_id', m.group_id, 'message_id', m.id),
        'group_message_flagged:' || m.id || ':' || b);
    end loop;
  end if;
  return true;
end
$$;
comment on function private.apply_message_verdict(uuid, text, int, text, text) is
  'Publishes (pass) or flags (risky, review) a message still waiting for its check, records why, and tells the group''s butlers about a flagged one. Returns false when there was nothing left to judge.';
revoke execute on function private.apply_message_verdict(uuid, text, int, text, text) from public;
grant execute on function private.apply_message_verdict(uuid, text, int, text, text) to service_role;

-- =====================================================================================================
-- the checker's RPCs (service role only)
-- =====================================================================================================
create function public.claim_content_checks(batch_size integer default 20, lease_seconds integer default 120)
returns table (message_id uuid, group_id uuid, sender_id uuid, openid text, kind text, body text, media_bucket text,
               media_path text, state text, trace_id text, attempts integer, created_at timestamptz)
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  if batch_size is null or batch_size not between 1 and 200 then
    raise exception 'batch_size must be 1 to 200' using errcode = '22023';
  end if;
  if lease_seconds is null or lease_seconds not between 10 and 3600 then
    raise exception 'lease_seconds must be 10 to 3600' using errcode = '22023';
  end if;
  return query
  with due as (
    select c.message_id from private.group_message_checks c
     where c.next_attempt_at <= now() and (c.lease_until is null or c.lease_until < now())
     order by c.next_attempt_at, c.message_id
     limit batch_size
     for update skip locked
  ), claimed as (
    update private.group_message_checks c
       set lease_until = now() + make_interval(secs => lease_seconds), attempts = c.attempts + 1
      from due where c.message_id = due.message_id
    returning c.*
  )
  select c.message_id, m.group_id, m.sender_id, w.openid, m.kind, m.body,
         case m.kind when 'image' then 'chat-images' when 'voice' then 'chat-voice' end,
         m.media_path, c.state, c.trace_id, c.attempts, m.created_at
    from claimed c
    join public.group_messages m on m.id = c.message_id
    left join private.wechat_identities w on w.user_id = m.sender_id
   order by m.created_at, c.message_id;
end
$$;
comment on function public.claim_content_checks(integer, integer) is
  'The content-check function takes due checks under a lease (skip locked: two checkers never share one), with what WeChat needs: the text, or the media object, and the sender''s openid.';
revoke execute on function public.claim_content_checks(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_content_checks(integer, integer) to service_role;

create function public.finish_content_checks(outcomes jsonb) returns integer
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_item jsonb;
  v_at integer := -1;
  v_id uuid;
  v_outcome text;
  v_retry timestamptz;
  v_done integer := 0;
begin
  if outcomes is null or jsonb_typeof(outcomes) <> 'array' then
    raise exception 'outcomes must be a JSON array' using errcode = '22023';
  end if;
  if jsonb_array_length(outcomes) > 500 then
    raise exception 'at most 500 outcomes at a time' using errcode = '22023';
  end if;
  -- Everything is checked before anything is applied: malformed input changes nothing.
  for v_item in select e.value from jsonb_array_elements(outcomes) e loop
    v_at := v_at + 1;
    if jsonb_typeof(v_item) <> 'object' or (v_item ->> 'message_id') is null
       or (v_item ->> 'message_id') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
      raise exception 'outcomes[%]: message_id must be a uuid', v_at using errcode = '22023';
    end if;
    v_outcome := v_item ->> 'outcome';
    if v_outcome is null or v_outcome not in ('pass', 'risky', 'review', 'submitted', 'retry') then
      raise exception 'outcomes[%]: outcome must be pass, risky, review, submitted or retry', v_at using errcode = '22023';
    end if;
    if v_outcome in ('submitted', 'retry') then
      begin
        v_retry := (v_item ->> 'retry_at')::timestamptz;
      exception when others then
        v_retry := null;
      end;
      if v_retry is null or not isfinite(v_retry) then
        raise exception 'outcomes[%]: % needs retry_at', v_at, v_outcome using errcode = '22023';
      end if;
    end if;
    if v_outcome = 'submitted' and coalesce(v_item ->> 'trace_id', '') = '' then
      raise exception 'outcomes[%]: submitted needs trace_id', v_at using errcode = '22023';
    end if;
    if (v_item ? 'label') and jsonb_typeof(v_item -> 'label') not in ('number', 'null') then
      raise exception 'outcomes[%]: label must be a number', v_at using errcode = '22023';
    end if;
  end loop;

  for v_item in select e.value from jsonb_array_elements(outcomes) e loop
    v_id := (v_item ->> 'message_id')::uuid;
    v_outcome := v_item ->> 'outcome';
    if v_outcome in ('pass', 'risky', 'review') then
      if private.apply_message_verdict(v_id, v_outcome, (v_item ->> 'label')::int, 'msgSecCheck', v_item ->> 'error') then
        v_done := v_done + 1;
      end if;
    else
      update private.group_message_checks c
         set state = case v_outcome when 'submitted' then 'awaiting' else 'due' end,
             trace_id = case v_outcome when 'submitted' then v_item ->> 'trace_id' else c.trace_id end,
             next_attempt_at = (v_item ->> 'retry_at')::timestamptz,
             last_error = left(v_item ->> 'error', 500),
             lease_until = null
       where c.message_id = v_id;
      if found then
        v_done := v_done + 1;
      end if;
    end if;
  end loop;
  return v_done;
end
$$;
comment on function public.finish_content_checks(jsonb) is
  'Records the checker''s outcomes, [{"message_id", "outcome": pass|risky|review (a text verdict) | submitted (media sent; "trace_id", "retry_at" = deadline for the event) | retry ("retry_at", "error")}]; checks already judged or withdrawn are skipped. Returns how many were applied.';
revoke execute on function public.finish_content_checks(jsonb) from public, anon, authenticated;
grant execute on function public.finish_content_checks(jsonb) to service_role;

create function public.record_media_check(trace_id text, suggest text, label integer default null, detail text default null)
returns boolean
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid;
begin
  if suggest is null or suggest not in ('pass', 'risky', 'review') then
    raise exception 'suggest must be pass, risky or review' using errcode = '22023';
  end if;
  select c.message_id into v_id from private.group_message_checks c where c.trace_id = record_media_check.trace_id for update;
  if v_id is null then
    return false; -- unknown, judged already, or superseded by a later submission
  end if;
  return private.apply_message_verdict(v_id, suggest, label, 'mediaCheckAsync', detail);
end
$$;
comment on function public.record_media_check(text, text, integer, text) is
  'A wxa_media_check event''s verdict for the media submitted under trace_id: published or flagged; false when no check waits for that trace_id.';
revoke execute on function public.record_media_check(text, text, integer, text) from public, anon, authenticated;
grant execute on function public.record_media_check(text, text, integer, text) to service_role;

-- =====================================================================================================
-- flagged messages, for the group's butlers
-- =====================================================================================================
create function private.flagged_group_messages(p_group uuid)
returns table (id uuid, seq bigint, sender_id uuid, sender_name text, kind text, body text, media_path text,
               duration_seconds int, created_at timestamptz, withdrawn_at timestamptz, suggest text, label int,
               source text, decided_at timestamptz)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.can_manage_group(p_group) then
    if private.is_group_member(p_group) then
      raise exception '只有本群的创业管家可以查看未通过检查的消息' using errcode = '42501';
    end if;
    raise exception '找不到这个创业群' using errcode = 'P0002';
  end if;
  return query
    select m.id, m.seq, m.sender_id, p.display_name, m.kind, m.body, m.media_path, m.duration_seconds, m.created_at,
           m.withdrawn_at, v.suggest, v.label, v.source, v.decided_at
      from public.group_messages m
      join public.profiles p on p.id = m.sender_id
      left join private.group_message_verdicts v on v.message_id = m.id
     where m.group_id = p_group and m.status = 'flagged'
     order by m.seq desc
     limit 200;
end
$$;
comment on function private.flagged_group_messages(uuid) is 'The flagged messages of a group (latest 200), with WeChat''s verdict; the group''s butlers and admins only.';
revoke execute on function private.flagged_group_messages(uuid) from public;
grant execute on function private.flagged_group_messages(uuid) to authenticated;

create function public.flagged_group_messages(group_id uuid)
returns table (id uuid, seq bigint, sender_id uuid, sender_name text, kind text, body text, media_path text,
               duration_seconds int, created_at timestamptz, withdrawn_at timestamptz, suggest text, label int,
               source text, decided_at timestamptz)
language sql stable security invoker set search_path = ''
as $$ select * from private.flagged_group_messages(group_id) $$;
comment on function public.flagged_group_messages(uuid) is
  '待处理消息 of the butler workbench: what the content check hid from the group, newest first, with WeChat''s suggest (risky, review) and label. Images and voice are read from their buckets as members do.';
revoke execute on function public.flagged_group_messages(uuid) from public, anon;

create function private.decide_flagged_message(p_id uuid, p_publish boolean) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  m public.group_messages;
begin
  if p_publish is null then
    raise exception '请选择放行或删除' using errcode = '22023';
  end if;
  select * into m from public.group_messages g where g.id = p_id;
  if m.id is null or not private.can_manage_group(m.group_id) then
    raise exception '找不到这条消息' using errcode = 'P0002';
  end if;
  perform 1 from private.group_message_counters c where c.group_id = m.group_id for update;
  select * into m from public.group_messages g where g.id = p_id for update;
  if m.status <> 'flagged' or m.withdrawn_at is not null then
    raise exception '这条消息已处理' using errcode = 'P0001';
  end if;
  update private.group_message_verdicts v set source = 'butler', decided_by = (select auth.uid()), decided_at = now()
   where v.message_id = p_id;
  if p_publish then
    perform private.publish_group_message(p_id);
  else
    update public.group_messages g
       set withdrawn_at = now(), body = '', media_path = null, duration_seconds = null, mentions = '{}',
           rev = private.next_group_stamp(g.group_id)
     where g.id = p_id;
  end if;
  return p_id;
end
$$;
comment on function private.decide_flagged_message(uuid, boolean) is
  'A butler of the group releases a flagged message (a false alarm: published, mentions told) or erases it (stays hidden, content gone); once.';
revoke execute on function private.decide_flagged_message(uuid, boolean) from public;
grant execute on function private.decide_flagged_message(uuid, boolean) to authenticated;

create function public.decide_flagged_message(id uuid, publish boolean) returns void
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  perform private.decide_flagged_message(id, publish);
end
$$;
comment on function public.decide_flagged_message(uuid, boolean) is '处理未通过检查的消息 (the group''s butlers and admins): publish = true releases it to the group, false erases it.';
revoke execute on function public.decide_flagged_message(uuid, boolean) from public, anon;

-- New functions in private are executable by PUBLIC by default; only the grants above should stand.
revoke execute on all functions in schema private from public;
