-- Fix: public.claim_pushes claimed every due push of a person as long as any quota was left, so three
-- pushes against a quota of one all went to WeChat (two of them only to be refused with 43101). A batch
-- now takes at most as many of a person's pushes per template as their quota has left, after the pushes
-- other dispatchers hold under a lease; the rest stay pending, and once the quota is used up the next
-- claim settles them as skipped without a call to WeChat.
--
-- What stays approximate: two claims running at the same instant do not see each other's new leases, so
-- together they can take one push too many for a person; WeChat then answers 43101 and finish_push
-- records skipped, as before this fix.

create or replace function public.claim_pushes(batch_size integer default 50, lease_seconds integer default 60)
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
    select n.id, n.recipient_id, n.push_template, coalesce(n.next_attempt_at, n.created_at) as due_at
      from public.notifications n
     where n.push_status = 'pending'
       and coalesce(n.next_attempt_at, n.created_at) <= now()
       and (n.lease_until is null or n.lease_until < now())
     order by coalesce(n.next_attempt_at, n.created_at), n.id
     limit batch_size
     for update skip locked
  ), ranked as (
    -- The person's nth due push of this template in the batch.
    select d.id, d.recipient_id, d.push_template,
           row_number() over (partition by d.recipient_id, d.push_template order by d.due_at, d.id) as nth
      from due d
  ), headroom as (
    -- Per person and template in the batch: quota left after the pushes other dispatchers hold.
    select k.recipient_id, k.push_template,
           s.remaining - (
             select count(*) from public.notifications m
              where m.recipient_id = k.recipient_id and m.push_template = k.push_template
                and m.push_status = 'pending' and m.lease_until >= now()
           ) as pushes_left
      from (select distinct d.recipient_id, d.push_template from due d) k
      join public.push_subscriptions s on s.user_id = k.recipient_id and s.template = k.push_template
  ), within_quota as (
    select r.id
      from ranked r
      join headroom h on h.recipient_id = r.recipient_id and h.push_template = r.push_template
     where r.nth <= h.pushes_left
  ), claimed as (
    update public.notifications n
       set lease_until = now() + make_interval(secs => lease_seconds), attempts = n.attempts + 1
      from within_quota q where n.id = q.id
    returning n.*
  )
  select c.id, c.recipient_id, w.openid, c.kind, c.title, c.body, c.link, c.payload, c.push_template, c.attempts, c.created_at
    from claimed c left join private.wechat_identities w on w.user_id = c.recipient_id
   order by c.id;
end
$$;
comment on function public.claim_pushes(integer, integer) is
  'Takes a batch of due pushes under a lease (skip locked, so dispatchers never share a row), no more of a person''s pushes per template than their quota has left, and settles rows without quota as skipped.';
