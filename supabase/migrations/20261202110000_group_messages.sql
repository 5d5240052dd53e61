-- Group messages (创业群消息, issue 10): text, image and voice messages in a group, sent through one
-- idempotent RPC (the client chooses the id, so a retried send is one message), withdrawn by the sender
-- within 2 minutes (撤回), paged by a per-group sequence, polled by a per-group change stamp, and counted
-- as unread from read state kept on the server.
--
-- Two numbers per message, both from one counter per group:
--   seq  the message's place in the stream, fixed when it is sent: lists are ordered by it and older
--        pages are read with `before` (seq < before, newest first).
--   rev  the last time the message changed: sent, published after its content check, flagged,
--        withdrawn. Polling reads `since` (rev > since, oldest change first), so a client sees new
--        messages and changes to ones it already shows (a message of another member that passed its check
--        late appears in its place by seq; a withdrawn one turns into "消息已撤回"). Read state is a rev.
--
-- Content security: a member's message is `pending` until WeChat's check (the content-check function,
-- next migration) publishes or flags it. The author sees it at once; others only once published. A
-- butler's own message is published at once: butlers are street-office staff acting for the office,
-- accountable for what they post, and their answers must not wait on a check service.

-- =====================================================================================================
-- voice messages: a private bucket like chat-images
-- =====================================================================================================
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('chat-voice', 'chat-voice', false, 2097152, array['audio/mpeg', 'audio/aac', 'audio/mp4', 'audio/x-m4a'])
on conflict (id) do update set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

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
    when 'chat-voice' then private.is_group_member(private.uuid_or_null((storage.foldername(name))[1]))
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
    when 'chat-voice' then private.is_in_own_folder(name, 2, 2)
                           and private.is_group_member(private.uuid_or_null((storage.foldername(name))[1]))
    -- <own id>/<application id>/<file>; the applications issue adds "while the application is editable".
    when 'application-materials' then private.is_in_own_folder(name, 2, 1)
    else false
  end
$$;

create or replace function private.can_change_object(bucket text, name text, owner_id text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    -- Staff replace or remove covers they uploaded; admins any cover.
    when 'post-covers' then (select private.is_staff()) and (owner_id = (select auth.uid())::text or (select private.is_admin()))
    when 'avatars' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 1, 1)
    when 'chat-images' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 2)
    when 'chat-voice' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 2)
    -- Only the applicant, in their own folder: nobody removes another person's materials. The
    -- applications issue adds "and the application is not submitted".
    when 'application-materials' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 1)
    else false
  end
$$;

-- verify-upload now recognises audio (MP3, AAC in ADTS, M4A/MP4 audio): its verdicts name those kinds.
alter table private.verified_objects drop constraint verified_objects_kind_check;
alter table private.verified_objects add constraint verified_objects_kind_check
  check (kind in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'audio/mpeg', 'audio/aac', 'audio/mp4'));

-- =====================================================================================================
-- messages
-- =====================================================================================================
create table private.group_message_counters (
  group_id uuid primary key references public.groups (id) on delete cascade,
  last_value bigint not null default 0
);
comment on table private.group_message_counters is
  'One counter per group: every message''s seq and every change''s rev are taken from it, so both grow monotonically within the group. Its row lock also orders the sends of a group.';
revoke all on private.group_message_counters from public, anon, authenticated, service_role;

create table public.group_messages (
  id uuid primary key,
  group_id uuid not null references public.groups (id) on delete cascade,
  seq bigint not null,
  rev bigint not null,
  sender_id uuid not null references public.profiles (id) on delete cascade,
  kind text not null check (kind in ('text', 'image', 'voice')),
  body text not null default '' check (char_length(body) <= 2000),
  media_path text check (char_length(media_path) <= 300),
  duration_seconds int check (duration_seconds between 1 and 60),
  mentions uuid[] not null default '{}' check (cardinality(mentions) <= 10),
  status text not null default 'pending' check (status in ('pending', 'published', 'flagged')),
  payload_hash text not null,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  withdrawn_at timestamptz,
  constraint group_messages_seq_key unique (group_id, seq),
  constraint withdrawn_messages_are_empty check (withdrawn_at is null or (body = '' and media_path is null and duration_seconds is null)),
  constraint messages_have_their_content check (
    withdrawn_at is not null
    or (kind = 'text' and body <> '' and media_path is null and duration_seconds is null)
    or (kind = 'image' and media_path is not null and duration_seconds is null)
    or (kind = 'voice' and media_path is not null and duration_seconds is not null)
  ),
  constraint published_messages_say_when check ((status = 'published') = (published_at is not null))
);
comment on table public.group_messages is
  'Messages of a group. Members read the published ones and their own (any status); written only by send_group_message and withdraw_group_message, and by the content check (service role). See the migration''s header for seq and rev.';
comment on column public.group_messages.id is 'Chosen by the client before the first try, so a retried send is the same message (send_group_message is idempotent on it).';
comment on column public.group_messages.seq is 'Place in the group''s stream, fixed at send; order by it, page with `before`.';
comment on column public.group_messages.rev is 'Change stamp: raised by every change (publish, flag, withdraw); poll with `since`. Read state (group_members.last_read_rev) is a rev.';
comment on column public.group_messages.media_path is 'Object name of an image (bucket chat-images) or a voice clip (chat-voice): <group id>/<sender id>/<file>, verified by verify-upload before it is accepted.';
comment on column public.group_messages.mentions is 'The butlers @-mentioned (each told through private.notify once the message is visible).';
comment on column public.group_messages.status is 'pending: waiting for the content check (only the sender sees it); published: everyone in the group; flagged: the check found risky content (only the sender and, through flagged_group_messages, the group''s butlers).';
comment on column public.group_messages.payload_hash is 'Digest of what was sent: a retry under the same id must send the same thing.';
comment on column public.group_messages.withdrawn_at is 'Set by 撤回 (sender, within 2 minutes): the row stays, shown as 消息已撤回, with body and media erased.';

create index group_messages_rev_idx on public.group_messages (group_id, rev);
create index group_messages_sender_idx on public.group_messages (sender_id, created_at);
create index group_messages_flagged_idx on public.group_messages (group_id, seq) where status = 'flagged';

alter table public.group_messages enable row level security;
revoke all on public.group_messages from anon, authenticated;
grant select on public.group_messages to authenticated;

create policy "members read published messages of their groups and their own" on public.group_messages
  for select to authenticated
  using (group_id in (select private.my_group_ids()) and (status = 'published' or sender_id = (select auth.uid())));

-- =====================================================================================================
-- helpers
-- =====================================================================================================
create function private.next_group_stamp(p_group uuid) returns bigint
language sql volatile set search_path = ''
as $$
  insert into private.group_message_counters as c (group_id, last_value) values (p_group, 1)
  on conflict (group_id) do update set last_value = c.last_value + 1
  returning last_value
$$;
comment on function private.next_group_stamp(uuid) is 'The group''s next seq/rev value; holds the counter row''s lock until commit.';
revoke execute on function private.next_group_stamp(uuid) from public;

create function private.notify_mentions(m public.group_messages) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_group text;
  v_sender text;
  b uuid;
begin
  if cardinality(m.mentions) = 0 or m.withdrawn_at is not null then
    return;
  end if;
  select g.name into v_group from public.groups g where g.id = m.group_id;
  select p.display_name into v_sender from public.profiles p where p.id = m.sender_id;
  for b in
    select x from unnest(m.mentions) x
     where exists (select 1 from public.group_members gm where gm.group_id = m.group_id and gm.user_id = x and gm.role = 'butler')
  loop
    perform private.notify(
      b, 'group_mention', left(v_sender || '在' || v_group || '@了您', 40),
      left(case m.kind when 'text' then m.body when 'image' then '[图片]' else '[语音]' end, 200),
      '/pages/groups/chat/index?id=' || m.group_id,
      jsonb_build_object('group_id', m.group_id, 'message_id', m.id, 'seq', m.seq),
      'group_mention:' || m.id || ':' || b);
  end loop;
end
$$;
comment on function private.notify_mentions(public.group_messages) is
  'Tells each @-mentioned butler of the group, once per message (dedupe key), when the message becomes visible to others.';
revoke execute on function private.notify_mentions(public.group_messages) from public;

create function private.publish_group_message(p_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  m public.group_messages;
begin
  select * into m from public.group_messages g where g.id = p_id for update;
  if m.id is null or m.status = 'published' then
    return;
  end if;
  update public.group_messages g
     set status = 'published', published_at = now(), rev = private.next_group_stamp(m.group_id)
   where g.id = p_id
  returning * into m;
  perform private.notify_mentions(m);
end
$$;
comment on function private.publish_group_message(uuid) is 'Makes a message visible to the group (after its check, or a butler''s release) and tells the mentioned butlers.';
revoke execute on function private.publish_group_message(uuid) from public;

-- =====================================================================================================
-- sending
-- =====================================================================================================
create function private.send_group_message(
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
    if v_existing.sender_id = v_me and v_existing.payload_hash = v_hash then
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
    if v_existing.sender_id = v_me and v_existing.payload_hash = v_hash then
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
comment on function private.send_group_message(uuid, uuid, text, text, text, int, uuid[]) is
  'Sends a message as the caller: idempotent on the client-chosen id (the same payload again returns the message; a different one is refused, 23505). Members'' messages wait for the content check; butlers'' are published at once.';
revoke execute on function private.send_group_message(uuid, uuid, text, text, text, int, uuid[]) from public;
grant execute on function private.send_group_message(uuid, uuid, text, text, text, int, uuid[]) to authenticated;

create function public.send_group_message(
  id uuid, group_id uuid, kind text, body text default '', media_path text default null,
  duration_seconds int default null, mentions uuid[] default '{}'
) returns public.group_messages
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.send_group_message(id, group_id, kind, body, media_path, duration_seconds, mentions);
  v public.group_messages;
begin
  select * into v from public.group_messages m where m.id = v_id;
  return v;
end
$$;
comment on function public.send_group_message(uuid, uuid, text, text, text, int, uuid[]) is
  '发消息: kind text (body ≤ 2000 characters), image (media_path in chat-images) or voice (media_path in chat-voice, duration_seconds 1–60), both uploaded to <group id>/<own id>/ and verified first; mentions: butlers of the group. Send again with the same id after a failure: it is one message.';
revoke execute on function public.send_group_message(uuid, uuid, text, text, text, int, uuid[]) from public, anon;

-- =====================================================================================================
-- withdrawing (撤回)
-- =====================================================================================================
create function private.withdraw_group_message(p_id uuid) returns uuid
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
  update public.group_messages g
     set withdrawn_at = now(), body = '', media_path = null, duration_seconds = null, mentions = '{}',
         status = case when g.status = 'pending' then 'published' else g.status end,
         published_at = coalesce(g.published_at, case when g.status = 'pending' then now() end),
         rev = private.next_group_stamp(g.group_id)
   where g.id = p_id;
  return p_id;
end
$$;
comment on function private.withdraw_group_message(uuid) is
  '撤回: the sender only, within 2 minutes of sending; the row stays with body and media erased (shown as 消息已撤回). Withdrawing again changes nothing.';
revoke execute on function private.withdraw_group_message(uuid) from public;
grant execute on function private.withdraw_group_message(uuid) to authenticated;

create function public.withdraw_group_message(id uuid) returns public.group_messages
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.withdraw_group_message(id);
  v public.group_messages;
begin
  select * into v from public.group_messages m where m.id = v_id;
  return v;
end
$$;
comment on function public.withdraw_group_message(uuid) is '撤回 my message within 2 minutes; answers with the message as it is now (body and media_path erased, withdrawn_at set). The file of a withdrawn image or voice clip stays in its bucket until the client removes it (uploaders may remove their own objects); nobody can find it through the message any more.';
revoke execute on function public.withdraw_group_message(uuid) from public, anon;

-- =====================================================================================================
-- reading: pages, polling, read state, my groups
-- =====================================================================================================
-- The reading RPCs ask the policies' rule once per call (is the caller a member of the group) and then
-- read by index with the same visibility predicate, instead of leaving row-level security to evaluate
-- it row by row: at scale that kept the persona's time close to the service role's (npm run bench).
create function private.group_messages(p_group uuid, p_before bigint, p_since bigint, p_max int)
returns setof public.group_messages
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_max int := least(greatest(coalesce(p_max, 30), 1), 100);
begin
  if p_before is not null and p_since is not null then
    raise exception '不能同时按 before 和 since 读取' using errcode = '22023';
  end if;
  -- The rule of the table's policy: members see the published messages of their group and their own.
  if v_me is null or not exists (select 1 from public.group_members gm where gm.group_id = p_group and gm.user_id = v_me) then
    return;
  end if;
  if p_since is not null then
    -- Polling: what is new or changed since the client's cursor, oldest change first; the last row's
    -- rev is the next cursor (ask again while max_rows come back).
    return query
      select m.* from public.group_messages m
       where m.group_id = p_group and m.rev > p_since and (m.status = 'published' or m.sender_id = v_me)
       order by m.rev
       limit v_max;
  else
    -- A page: the newest messages, or those before a seq, newest first.
    return query
      select m.* from public.group_messages m
       where m.group_id = p_group and m.seq < coalesce(p_before, 9223372036854775807)
         and (m.status = 'published' or m.sender_id = v_me)
       order by m.seq desc
       limit v_max;
  end if;
end
$$;
comment on function private.group_messages(uuid, bigint, bigint, int) is
  'The messages of a group the caller may see (the rule of the group_messages policy, asked once): nothing for a group they are not in.';
revoke execute on function private.group_messages(uuid, bigint, bigint, int) from public;
grant execute on function private.group_messages(uuid, bigint, bigint, int) to authenticated, service_role;

create function public.group_messages(group_id uuid, before bigint default null, since bigint default null, max_rows int default 30)
returns setof public.group_messages
language sql stable security invoker set search_path = ''
as $$ select * from private.group_messages(group_id, before, since, max_rows) $$;
comment on function public.group_messages(uuid, bigint, bigint, int) is
  'A group''s messages as the caller may see them: the latest page, or the page before a seq (before), newest first; or the messages new or changed since a rev (since), oldest change first, for polling. At most max_rows (1–100, default 30); nothing for a group the caller is not in. Senders'' names: read the group''s members once (group_members with profiles(display_name)), or embed sender:profiles!sender_id(display_name).';
revoke execute on function public.group_messages(uuid, bigint, bigint, int) from public, anon;

create function private.mark_group_read(p_group uuid, p_up_to_rev bigint) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_rev bigint;
begin
  if p_up_to_rev is null or p_up_to_rev < 0 then
    raise exception '已读位置不正确' using errcode = '22023';
  end if;
  -- Never beyond what exists (a forged cursor cannot mark future messages read), never backwards (an
  -- older device reporting late does not bring old messages back as unread).
  update public.group_members gm
     set last_read_rev = greatest(gm.last_read_rev,
                                  least(p_up_to_rev, coalesce((select c.last_value from private.group_message_counters c where c.group_id = p_group), 0)))
   where gm.group_id = p_group and gm.user_id = (select auth.uid())
  returning gm.last_read_rev into v_rev;
  if v_rev is null then
    raise exception '找不到这个创业群' using errcode = 'P0002';
  end if;
  return v_rev;
end
$$;
comment on function private.mark_group_read(uuid, bigint) is 'Moves the caller''s read mark in a group forward to a rev (clamped to the group''s last one).';
revoke execute on function private.mark_group_read(uuid, bigint) from public;
grant execute on function private.mark_group_read(uuid, bigint) to authenticated;

create function public.mark_group_read(group_id uuid, up_to_rev bigint) returns bigint
language sql volatile security invoker set search_path = ''
as $$ select private.mark_group_read(group_id, up_to_rev) $$;
comment on function public.mark_group_read(uuid, bigint) is
  '已读: everything in the group up to this rev (the highest rev the page has shown) is read on every device of mine; answers with my read mark.';
revoke execute on function public.mark_group_read(uuid, bigint) from public, anon;

create function private.my_groups()
returns table (
  group_id uuid, name text, district text, my_role public.group_role, archived boolean, unread_count int,
  last_message_id uuid, last_message_kind text, last_message_body text, last_message_sender_id uuid,
  last_message_sender_name text, last_message_at timestamptz, last_message_withdrawn boolean, last_message_status text
)
language sql stable security definer set search_path = ''
as $$
  select g.id, g.name, g.district, gm.role, g.archived_at is not null,
         -- Counted up to 100 (the tab shows 99+), so a long-unread group costs no more than that.
         (select count(*)::int from (
            select 1 from public.group_messages u
             where u.group_id = gm.group_id and u.rev > gm.last_read_rev and u.status = 'published'
               and u.withdrawn_at is null and u.sender_id <> gm.user_id
             limit 100) x),
         l.id, l.kind, left(l.body, 60), l.sender_id, s.display_name, l.created_at, l.withdrawn_at is not null, l.status
    from public.group_members gm
    join public.groups g on g.id = gm.group_id
    left join lateral (
      select m.id, m.kind, m.body, m.sender_id, m.created_at, m.withdrawn_at, m.status
        from public.group_messages m
       where m.group_id = gm.group_id and (m.status = 'published' or m.sender_id = gm.user_id)
       order by m.seq desc
       limit 1
    ) l on true
    left join public.profiles s on s.id = l.sender_id
   where gm.user_id = (select auth.uid())
   order by coalesce(l.created_at, gm.joined_at) desc, g.id
$$;
comment on function private.my_groups() is
  'The caller''s groups with role, unread count, latest visible message and its sender''s name. Security definer: it reads only the caller''s memberships and what they may see in those groups, so row-level security need not be asked row by row (see npm run bench).';
revoke execute on function private.my_groups() from public;
grant execute on function private.my_groups() to authenticated, service_role;


create function public.my_groups()
returns table (
  group_id uuid, name text, district text, my_role public.group_role, archived boolean, unread_count int,
  last_message_id uuid, last_message_kind text, last_message_body text, last_message_sender_id uuid,
  last_message_sender_name text, last_message_at timestamptz, last_message_withdrawn boolean, last_message_status text
)
language sql stable security invoker set search_path = ''
as $$ select * from private.my_groups() $$;
comment on function public.my_groups() is
  '创业群 tab: my groups, each with my role, my unread count (messages of others published after my read mark, up to 100), the latest message I may see (preview of 60 characters) and its sender''s name; latest activity first.';
revoke execute on function public.my_groups() from public, anon;
