-- Notifications: one table is both the in-app message centre (消息中心) and the outbox of WeChat
-- subscription messages (订阅消息). Rows first, pushes second: a domain event writes its row in the same
-- transaction as the change, and the notify-dispatch edge function pushes pending rows later.

-- =====================================================================================================
-- types and tables
-- =====================================================================================================
create type public.push_status as enum ('none', 'pending', 'sent', 'skipped', 'failed');
comment on type public.push_status is
  'none: message centre only; pending: waiting to be pushed; sent; skipped (no subscription left); failed (gave up).';

create table public.notifications (
  id bigint generated always as identity primary key,
  recipient_id uuid not null references public.profiles (id) on delete cascade,
  kind text not null check (kind ~ '^[a-z][a-z0-9_]{1,39}$'),
  title text not null check (char_length(title) between 1 and 40),
  body text not null default '' check (char_length(body) <= 200),
  link text check (link ~ '^/[A-Za-z0-9/_-]+(\?[^ ]*)?$'),
  payload jsonb not null default '{}' check (jsonb_typeof(payload) = 'object'),
  created_at timestamptz not null default now(),
  read_at timestamptz,
  push_template text check (push_template ~ '^[a-z][a-z0-9_]{1,39}$'),
  push_status public.push_status not null default 'none',
  attempts integer not null default 0 check (attempts >= 0),
  last_error text,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  pushed_at timestamptz,
  dedupe_key text not null unique check (char_length(dedupe_key) between 1 and 200),
  constraint pushes_have_a_template check (push_status = 'none' or push_template is not null)
);
comment on table public.notifications is
  'Message centre and push outbox in one. A recipient reads and marks their own rows; everything else is the system''s.';
comment on column public.notifications.push_template is
  'Key of the subscription-message template (configured in the notify-dispatch function), or null for in-app only.';
comment on column public.notifications.dedupe_key is
  'One event makes one notification: a second insert with the same key is ignored.';
comment on column public.notifications.lease_until is
  'Set while a dispatcher holds the row; a crashed dispatcher''s rows become due again when it passes.';

create index notifications_inbox_idx on public.notifications (recipient_id, (read_at is null) desc, created_at desc);
create index notifications_due_idx on public.notifications (coalesce(next_attempt_at, created_at), id)
  where push_status = 'pending';

alter table public.notifications enable row level security;
revoke all on public.notifications from anon, authenticated;
grant select on public.notifications to authenticated;

create policy "people read their own notifications" on public.notifications
  for select to authenticated using (recipient_id = (select auth.uid()));

create table public.push_subscriptions (
  user_id uuid not null references public.profiles (id) on delete cascade,
  template text not null check (template ~ '^[a-z][a-z0-9_]{1,39}$'),
  remaining integer not null default 0 check (remaining >= 0),
  updated_at timestamptz not null default now(),
  primary key (user_id, template)
);
comment on table public.push_subscriptions is
  'How many more subscription messages of a template WeChat lets us send a person: +1 per acceptance in wx.requestSubscribeMessage, -1 per send.';

alter table public.push_subscriptions enable row level security;
revoke all on public.push_subscriptions from anon, authenticated;
grant select on public.push_subscriptions to authenticated;

create policy "people read their own subscriptions" on public.push_subscriptions
  for select to authenticated using (user_id = (select auth.uid()));

-- =====================================================================================================
-- the one function domain events call
-- =====================================================================================================
create function private.notify(
  p_recipient uuid,
  p_kind text,
  p_title text,
  p_body text,
  p_link text,
  p_payload jsonb,
  p_dedupe_key text,
  p_push_template text default null
) returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  v_id bigint;
begin
  insert into public.notifications (recipient_id, kind, title, body, link, payload, dedupe_key, push_template, push_status)
  values (p_recipient, p_kind, p_title, coalesce(p_body, ''), p_link, coalesce(p_payload, '{}'), p_dedupe_key,
          p_push_template, case when p_push_template is null then 'none' else 'pending' end::public.push_status)
  on conflict (dedupe_key) do nothing
  returning id into v_id;
  return v_id;
end
$$;
comment on function private.notify(uuid, text, text, text, text, jsonb, text, text) is
  'Adds a notification in the caller''s transaction (so it exists exactly when the change does). Later issues call this for their events; the dedupe key makes a repeated event harmless. Returns null when the key was already used.';
revoke execute on function private.notify(uuid, text, text, text, text, jsonb, text, text) from public;

-- Event: a person's role changed (role_changes is written by private.set_user_role).
create function private.notify_role_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_label text := case new.new_role when 'worker' then '职工' when 'butler' then '创业管家' else '管理员' end;
begin
  perform private.notify(
    new.user_id,
    'role_changed',
    '您的角色已变更为' || v_label,
    '管理员已将您的角色由' ||
      case new.old_role when 'worker' then '职工' when 'butler' then '创业管家' else '管理员' end ||
      '调整为' || v_label || '。',
    '/pages/me/index',
    jsonb_build_object('old_role', new.old_role, 'new_role', new.new_role),
    'role_changed:' || new.id,
    'account_change'
  );
  return new;
end
$$;
comment on function private.notify_role_changed() is 'Tells a person their role changed, in the message centre and by push.';

create trigger role_changes_notify after insert on public.role_changes
  for each row execute function private.notify_role_changed();

-- =====================================================================================================
-- message centre RPC (the mini-program cannot send PATCH, so reads are marked through an RPC)
-- =====================================================================================================
create function private.mark_notifications_read(p_ids bigint[]) returns integer
language plpgsql security definer set search_path = ''
as $$
declare
  v_count integer;
begin
  update public.notifications n
     set read_at = now()
   where n.recipient_id = (select auth.uid())
     and n.read_at is null
     and (p_ids is null or n.id = any (p_ids));
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function private.mark_notifications_read(bigint[]) is 'Marks the caller''s own notifications read; others'' rows are never touched.';
grant execute on function private.mark_notifications_read(bigint[]) to authenticated;

create function public.mark_notifications_read(ids bigint[] default null) returns integer
language sql volatile security invoker set search_path = ''
as $$ select private.mark_notifications_read(ids) $$;
comment on function public.mark_notifications_read(bigint[]) is
  'Mark some (ids) or all (no ids) of my notifications read; returns how many changed.';
revoke execute on function public.mark_notifications_read(bigint[]) from public, anon;

create function public.unread_notification_count() returns integer
language sql stable security invoker set search_path = ''
as $$
  select count(*)::integer from public.notifications n
   where n.recipient_id = (select auth.uid()) and n.read_at is null
$$;
comment on function public.unread_notification_count() is 'The number on the 我的 tab badge.';
revoke execute on function public.unread_notification_count() from public, anon;

-- =====================================================================================================
-- subscription consent: each acceptance in wx.requestSubscribeMessage is one more send
-- =====================================================================================================
create function private.record_subscriptions(p_templates text[]) returns void
language plpgsql security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if p_templates is null or cardinality(p_templates) = 0 or cardinality(p_templates) > 5 then
    raise exception '一次最多记录5个订阅消息模板' using errcode = '22023';
  end if;
  insert into public.push_subscriptions (user_id, template, remaining)
  select (select auth.uid()), t, count(*) from unnest(p_templates) t group by t
  on conflict (user_id, template)
  do update set remaining = public.push_subscriptions.remaining + excluded.remaining, updated_at = now();
end
$$;
comment on function private.record_subscriptions(text[]) is 'Adds one send per accepted template for the caller.';
grant execute on function private.record_subscriptions(text[]) to authenticated;

create function public.record_subscriptions(templates text[]) returns void
language sql volatile security invoker set search_path = ''
as $$ select private.record_subscriptions(templates) $$;
comment on function public.record_subscriptions(text[]) is
  'Called after wx.requestSubscribeMessage with the template keys the person accepted.';
revoke execute on function public.record_subscriptions(text[]) from public, anon;

-- =====================================================================================================
-- dispatcher RPCs (service role only)
-- =====================================================================================================
create function public.claim_pushes(batch_size integer default 50, lease_seconds integer default 60)
returns table (id bigint, recipient_id uuid, openid text, kind text, title text, body text, link text,
               payload jsonb, push_template text, attempts integer, created_at timestamptz)
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  -- Rows whose person has no subscription left are settled here as skipped, without a call to WeChat.
  with due as (
    select n.id from public.notifications n
     where n.push_status = 'pending'
       and coalesce(n.next_attempt_at, n.created_at) <= now()
       and (n.lease_until is null or n.lease_until < now())
       and not exists (
         select 1 from public.push_subscriptions s
          where s.user_id = n.recipient_id and s.template = n.push_template and s.remaining > 0)
     order by coalesce(n.next_attempt_at, n.created_at), n.id
     limit batch_size
     for update skip locked
  )
  update public.notifications n
     set push_status = 'skipped', last_error = 'no_quota', lease_until = null
    from due where n.id = due.id;

  return query
  with due as (
    select n.id from public.notifications n
     where n.push_status = 'pending'
       and coalesce(n.next_attempt_at, n.created_at) <= now()
       and (n.lease_until is null or n.lease_until < now())
     order by coalesce(n.next_attempt_at, n.created_at), n.id
     limit batch_size
     for update skip locked
  ), claimed as (
    update public.notifications n
       set lease_until = now() + make_interval(secs => lease_seconds), attempts = n.attempts + 1
      from due where n.id = due.id
    returning n.*
  )
  select c.id, c.recipient_id, w.openid, c.kind, c.title, c.body, c.link, c.payload, c.push_template, c.attempts, c.created_at
    from claimed c left join private.wechat_identities w on w.user_id = c.recipient_id
   order by c.id;
end
$$;
comment on function public.claim_pushes(integer, integer) is
  'Takes a batch of due pushes under a lease (skip locked, so dispatchers never share a row) and settles rows without quota as skipped.';
revoke execute on function public.claim_pushes(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_pushes(integer, integer) to service_role;

create function public.finish_push(
  push_id bigint, outcome public.push_status, error text default null, retry_at timestamptz default null
) returns void
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_row public.notifications;
begin
  select * into v_row from public.notifications n where n.id = push_id for update;
  if v_row.id is null or v_row.push_status <> 'pending' then
    return; -- already settled (a late dispatcher): never settle twice
  end if;
  if outcome = 'pending' and retry_at is null then
    raise exception 'a retry needs retry_at' using errcode = '22023';
  end if;
  update public.notifications n
     set push_status = outcome,
         last_error = error,
         next_attempt_at = case when outcome = 'pending' then retry_at end,
         lease_until = null,
         pushed_at = case when outcome = 'sent' then now() end
   where n.id = push_id;
  if outcome = 'sent' then
    update public.push_subscriptions s set remaining = greatest(s.remaining - 1, 0), updated_at = now()
     where s.user_id = v_row.recipient_id and s.template = v_row.push_template;
  elsif outcome = 'skipped' then
    -- WeChat said no quota (43101): trust it over our count.
    update public.push_subscriptions s set remaining = 0, updated_at = now()
     where s.user_id = v_row.recipient_id and s.template = v_row.push_template;
  end if;
end
$$;
comment on function public.finish_push(bigint, public.push_status, text, timestamptz) is
  'Records a push outcome once: sent (uses one subscription), skipped (quota gone), failed (gave up), or pending again with retry_at.';
revoke execute on function public.finish_push(bigint, public.push_status, text, timestamptz) from public, anon, authenticated;
grant execute on function public.finish_push(bigint, public.push_status, text, timestamptz) to service_role;

-- One access token for the whole backend (stable_token), shared by every function instance.
create table private.wechat_access_tokens (
  app_id text primary key,
  access_token text not null,
  expires_at timestamptz not null,
  updated_at timestamptz not null default now()
);
comment on table private.wechat_access_tokens is 'Cached stable_token per app id; read and written by the service role only.';
revoke all on private.wechat_access_tokens from public, anon, authenticated;
grant select, insert, update on private.wechat_access_tokens to service_role;

create function public.cached_wechat_token(p_app_id text) returns text
language sql stable security invoker set search_path = ''
as $$
  select t.access_token from private.wechat_access_tokens t
   where t.app_id = p_app_id and t.expires_at > now() + interval '5 minutes'
$$;
revoke execute on function public.cached_wechat_token(text) from public, anon, authenticated;
grant execute on function public.cached_wechat_token(text) to service_role;
comment on function public.cached_wechat_token(text) is 'The shared access token while it has more than 5 minutes left.';

create function public.store_wechat_token(p_app_id text, p_token text, p_expires_in integer) returns void
language sql volatile security invoker set search_path = ''
as $$
  insert into private.wechat_access_tokens (app_id, access_token, expires_at)
  values (p_app_id, p_token, now() + make_interval(secs => p_expires_in))
  on conflict (app_id) do update set access_token = excluded.access_token, expires_at = excluded.expires_at, updated_at = now()
$$;
revoke execute on function public.store_wechat_token(text, text, integer) from public, anon, authenticated;
grant execute on function public.store_wechat_token(text, text, integer) to service_role;
comment on function public.store_wechat_token(text, text, integer) is 'Caches a fresh stable_token for every instance.';

-- New functions in private are executable by PUBLIC by default; only the grants above should stand.
revoke execute on all functions in schema private from public;
