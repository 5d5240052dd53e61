-- Attack round 2 (tests/db/attack-round2.test.ts): 撤回 erased a message's body and media but kept its
-- payload_hash, an unsalted md5 of the group, kind and body that every member reads with the message.
-- What people withdraw is often what they should not have sent (a phone or ID number), and such a body
-- is found again from the hash by trying the few billion candidates, in seconds. A withdrawn message now
-- shows no digest of what it said: the digest moves to a private table that only send_group_message
-- reads, so a retried send under the id of a withdrawn message is still that one message.

create table private.withdrawn_message_payloads (
  message_id uuid primary key references public.group_messages (id) on delete cascade,
  payload_hash text not null
);
comment on table private.withdrawn_message_payloads is
  'The payload digest of a withdrawn message, out of the members'' sight: send_group_message compares a retried send with it.';
revoke all on private.withdrawn_message_payloads from public, anon, authenticated, service_role;

create function private.sent_payload_hash(m public.group_messages) returns text
language sql stable security definer set search_path = ''
as $$
  select coalesce((select w.payload_hash from private.withdrawn_message_payloads w where w.message_id = m.id), m.payload_hash)
$$;
comment on function private.sent_payload_hash(public.group_messages) is
  'The digest of what was sent under a message id: the row''s own, or the private copy of a withdrawn message.';
revoke execute on function private.sent_payload_hash(public.group_messages) from public;

create or replace function private.withdraw_group_message(p_id uuid) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  m public.group_messages;
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into m from public.group_messages g where g.id = p_id;
  -- A message the caller cannot see answers as one that does not exist.
  if m.id is null or not private.is_group_member(m.group_id) or (m.status <> 'published' and m.sender_id <> v_me) then
    raise exception '找不到这条消息' using errcode = 'P0002';
  end if;
  if m.sender_id <> v_me then
    raise exception '只能撤回自己发送的消息' using errcode = '42501';
  end if;
  perform 1 from private.group_message_counters c where c.group_id = m.group_id for update;
  select * into m from public.group_messages g where g.id = p_id for update;
  if m.withdrawn_at is not null then
    return m.id; -- withdrawn already: a retried 撤回 is the same
  end if;
  if m.created_at < now() - interval '2 minutes' then
    raise exception '消息发出超过2分钟，不能撤回' using errcode = 'P0001';
  end if;
  -- A withdrawn message has no content left to check, so a pending one becomes a visible "消息已撤回".
  delete from private.group_message_checks c where c.message_id = p_id;
  insert into private.withdrawn_message_payloads (message_id, payload_hash) values (p_id, m.payload_hash)
  on conflict (message_id) do nothing;
  update public.group_messages g
     set withdrawn_at = now(), body = '', media_path = null, duration_seconds = null, mentions = '{}',
         payload_hash = 'withdrawn',
         status = case when g.status = 'pending' then 'published' else g.status end,
         published_at = coalesce(g.published_at, case when g.status = 'pending' then now() end),
         rev = private.next_group_stamp(g.group_id)
   where g.id = p_id;
  return p_id;
end
$$;
comment on function private.withdraw_group_message(uuid) is
  '撤回: the sender only, within 2 minutes of sending; the row stays with body, media and the payload''s digest erased (shown as 消息已撤回). Withdrawing again changes nothing.';

-- Messages withdrawn before this migration.
insert into private.withdrawn_message_payloads (message_id, payload_hash)
select g.id, g.payload_hash from public.group_messages g where g.withdrawn_at is not null and g.payload_hash <> 'withdrawn'
on conflict (message_id) do nothing;
update public.group_messages g set payload_hash = 'withdrawn' where g.withdrawn_at is not null and g.payload_hash <> 'withdrawn';

-- Retries compare with the private copy of a withdrawn message's digest (the only change here).
create or replace function private.send_group_message(
  p_id uuid, p_group uuid, p_kind text, p_body text, p_media_path text, p_duration int, p_mentions uuid[]
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_group public.groups;
  v_body text := btrim(coalesce(p_body, ''));
  v_path text := nullif(btrim(coalesce(p_media_path, '')), '');
  v_mentions uuid[];
  v_hash text;
  v_existing public.group_messages;
  v_butler boolean;
  v_stamp bigint;
  v_bucket text;
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if p_id is null then
    raise exception '消息缺少编号，请更新小程序后再试' using errcode = '22023';
  end if;
  if p_group is null or not private.is_group_member(p_group) then
    raise exception '找不到这个创业群' using errcode = 'P0002';
  end if;
  if p_kind is null or p_kind not in ('text', 'image', 'voice') then
    raise exception '不支持这种消息' using errcode = '22023';
  end if;
  select coalesce(array_agg(distinct x order by x), '{}') into v_mentions from unnest(coalesce(p_mentions, '{}')) x where x is not null;
  v_hash := md5(concat_ws(E'\x1f', p_group::text, p_kind, v_body, coalesce(v_path, ''), coalesce(p_duration::text, ''), array_to_string(v_mentions, ',')));

  -- A retry: the same id again. The same message from the same person is answered as it is now; anything
  -- else under that id is refused (ids are not to be reused, and not to be guessed at).
  select * into v_existing from public.group_messages m where m.id = p_id;
  if v_existing.id is not null then
    if v_existing.sender_id = v_me and private.sent_payload_hash(v_existing) = v_hash then
      return v_existing.id;
    end if;
    raise exception '消息编号重复，请重新发送' using errcode = '23505';
  end if;

  if p_kind = 'text' then
    if v_body = '' then
      raise exception '消息不能为空' using errcode = '22023';
    end if;
    if char_length(v_body) > 2000 then
      raise exception '消息最多2000个字，请分几条发送' using errcode = '22023';
    end if;
    if v_path is not null or p_duration is not null then
      raise exception '文字消息不能带图片或语音' using errcode = '22023';
    end if;
  else
    v_bucket := case p_kind when 'image' then 'chat-images' else 'chat-voice' end;
    if v_body <> '' then
      raise exception '图片和语音消息不能带文字' using errcode = '22023';
    end if;
    if v_path is null or char_length(v_path) > 300
       or v_path !~ ('^' || p_group::text || '/' || v_me::text || '/[^/]+$') then
      raise exception '请先上传文件再发送' using errcode = '22023';
    end if;
    if p_kind = 'voice' and (p_duration is null or p_duration not between 1 and 60) then
      raise exception '语音消息需要1到60秒' using errcode = '22023';
    end if;
    if p_kind = 'image' and p_duration is not null then
      raise exception '图片消息没有时长' using errcode = '22023';
    end if;
    if not private.is_verified_object(v_bucket, v_path) then
      raise exception '文件还没有通过校验，请重新上传' using errcode = '22023';
    end if;
  end if;
  if cardinality(v_mentions) > 10 then
    raise exception '一条消息最多@10个人' using errcode = '22023';
  end if;
  if exists (
    select 1 from unnest(v_mentions) x
     where not exists (select 1 from public.group_members gm where gm.group_id = p_group and gm.user_id = x and gm.role = 'butler')
  ) then
    raise exception '只能@本群的创业管家' using errcode = '22023';
  end if;

  select * into v_group from public.groups g where g.id = p_group;
  if v_group.archived_at is not null then
    raise exception '这个创业群已停用，不能再发消息' using errcode = 'P0001';
  end if;
  if (select count(*) from public.group_messages m
       where m.sender_id = v_me and m.created_at > now() - interval '1 minute') >= 30 then
    raise exception '发送太频繁，请稍后再试' using errcode = 'P0001';
  end if;

  v_butler := private.is_group_butler(p_group);
  -- The counter's row lock orders the group's sends; a second send of the same id waits here for the
  -- first to commit and then meets it through the unique id below.
  v_stamp := private.next_group_stamp(p_group);
  insert into public.group_messages as m (id, group_id, seq, rev, sender_id, kind, body, media_path, duration_seconds,
                                          mentions, status, payload_hash, published_at)
  values (p_id, p_group, v_stamp, v_stamp, v_me, p_kind, v_body, v_path, p_duration, v_mentions,
          case when v_butler then 'published' else 'pending' end, v_hash, case when v_butler then now() end)
  on conflict (id) do nothing;
  if not found then
    select * into v_existing from public.group_messages m where m.id = p_id;
    if v_existing.sender_id = v_me and private.sent_payload_hash(v_existing) = v_hash then
      return v_existing.id;
    end if;
    raise exception '消息编号重复，请重新发送' using errcode = '23505';
  end if;

  if v_butler then
    -- Butlers' messages are published at once (see the header): no content check.
    perform private.notify_mentions(m) from public.group_messages m where m.id = p_id;
  else
    insert into private.group_message_checks (message_id) values (p_id);
  end if;
  return p_id;
end
$$;


comment on column public.group_messages.payload_hash is
  'Digest of what was sent: a retry under the same id must send the same thing. Replaced by ''withdrawn'' on 撤回 (the digest is kept privately for retries), so nothing of a withdrawn body can be recovered from it.';

revoke execute on all functions in schema private from public;
