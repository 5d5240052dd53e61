-- Settling push outcomes in bulk. The dispatcher recorded each push with its own public.finish_push
-- call: one API request and one transaction per push, which made request handling, not WeChat, the limit
-- of a busy dispatcher. public.finish_pushes records up to 500 outcomes in one call.
--
-- The settle rules live in one place, private.settle_pushes, which finish_push and finish_pushes both
-- call: a row is settled only while it is pending (so a late or repeated outcome changes nothing and no
-- row is settled twice); sent uses one of the person's subscriptions, skipped (WeChat's 43101) sets them
-- to 0; a retry needs retry_at; an outcome is sent, skipped, failed or pending (finish_push used to take
-- `none` as well, and a retry without retry_at for a row already settled; both are refused now).

-- =====================================================================================================
-- the settle rules, once
-- =====================================================================================================
create type private.push_outcome as (id bigint, status public.push_status, error text, retry_at timestamptz);
comment on type private.push_outcome is
  'One push outcome to record: finish_push''s arguments, or one object of finish_pushes'' JSON array (same field names).';

create function private.settle_pushes(p_outcomes private.push_outcome[]) returns integer
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_bad record;
  v_ids bigint[];
begin
  select o.id, o.status, o.nth into v_bad
    from unnest(p_outcomes) with ordinality as o(id, status, error, retry_at, nth)
   where o.id is null or o.status is null or o.status = 'none' or (o.status = 'pending' and o.retry_at is null)
   order by o.nth
   limit 1;
  if found then
    if v_bad.id is null then
      raise exception 'outcome %: no push id', v_bad.nth using errcode = '22023';
    elsif v_bad.status is null or v_bad.status = 'none' then
      raise exception 'push %: the outcome must be sent, skipped, failed or pending', v_bad.id using errcode = '22023';
    end if;
    raise exception 'push %: a retry needs retry_at', v_bad.id using errcode = '22023';
  end if;
  select o.id into v_bad from unnest(p_outcomes) o group by o.id having count(*) > 1 limit 1;
  if found then
    raise exception 'push %: two outcomes for one push in one call', v_bad.id using errcode = '22023';
  end if;

  -- The rows still pending, locked in id order: two settles of the same rows wait for each other (the
  -- second then finds them settled and leaves them alone), and never deadlock. A row already settled,
  -- or one that does not exist, is not touched.
  select coalesce(array_agg(l.id), '{}') into v_ids
    from (select n.id from public.notifications n
           where n.id in (select o.id from unnest(p_outcomes) o)
             and n.push_status = 'pending'
           order by n.id
             for update) l;

  -- The subscriptions those outcomes count against, locked in key order for the same reason.
  perform 1 from public.push_subscriptions s
   where (s.user_id, s.template) in (
           select n.recipient_id, n.push_template
             from public.notifications n join unnest(p_outcomes) o on o.id = n.id
            where n.id = any (v_ids) and o.status in ('sent', 'skipped'))
   order by s.user_id, s.template
     for update;

  with settled as (
    update public.notifications n
       set push_status = o.status,
           last_error = o.error,
           next_attempt_at = case when o.status = 'pending' then o.retry_at end,
           lease_until = null,
           pushed_at = case when o.status = 'sent' then now() end
      from unnest(p_outcomes) o
     where n.id = o.id and n.id = any (v_ids)
    returning n.recipient_id, n.push_template, o.status
  ), used as (
    -- Per person and template: each sent push uses one subscription; a 43101 means none are left
    -- (trust WeChat over our count). The same as settling the rows one by one, in any order.
    select s.recipient_id, s.push_template,
           count(*) filter (where s.status = 'sent') as sent,
           bool_or(s.status = 'skipped') as refused
      from settled s
     where s.status in ('sent', 'skipped')
     group by s.recipient_id, s.push_template
  )
  update public.push_subscriptions s
     set remaining = case when u.refused then 0 else greatest(s.remaining - u.sent, 0) end,
         updated_at = now()
    from used u
   where s.user_id = u.recipient_id and s.template = u.push_template;

  return cardinality(v_ids);
end
$$;
comment on function private.settle_pushes(private.push_outcome[]) is
  'The one place push outcomes are recorded (finish_push, finish_pushes): only rows still pending, each once; sent uses a subscription, skipped empties them; a retry needs retry_at. Returns how many rows it settled.';
revoke execute on function private.settle_pushes(private.push_outcome[]) from public, anon, authenticated;
grant execute on function private.settle_pushes(private.push_outcome[]) to service_role;

-- =====================================================================================================
-- one outcome (kept for callers that settle a single push)
-- =====================================================================================================
create or replace function public.finish_push(
  push_id bigint, outcome public.push_status, error text default null, retry_at timestamptz default null
) returns void
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  perform private.settle_pushes(array[(push_id, outcome, error, retry_at)::private.push_outcome]);
end
$$;
comment on function public.finish_push(bigint, public.push_status, text, timestamptz) is
  'Records one push outcome once: sent (uses one subscription), skipped (quota gone), failed (gave up), or pending again with retry_at. The dispatcher records many at once with finish_pushes.';

-- =====================================================================================================
-- many outcomes in one call: what the dispatcher uses
-- =====================================================================================================
create function public.finish_pushes(outcomes jsonb) returns integer
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_max constant integer := 500;
  v_item jsonb;
  v_at integer := -1; -- the position in the array, from 0 as in JSON
  v_key text;
  v_list private.push_outcome[];
begin
  if outcomes is null or jsonb_typeof(outcomes) <> 'array' then
    raise exception 'outcomes must be a JSON array of {"id", "status", "error", "retry_at"} objects' using errcode = '22023';
  end if;
  if jsonb_array_length(outcomes) > v_max then
    raise exception 'outcomes holds % outcomes; at most % at a time', jsonb_array_length(outcomes), v_max using errcode = '22023';
  end if;
  for v_item in select e.value from jsonb_array_elements(outcomes) e loop
    v_at := v_at + 1;
    if jsonb_typeof(v_item) <> 'object' then
      raise exception 'outcomes[%] must be an object with "id" and "status"', v_at using errcode = '22023';
    end if;
    select k into v_key from jsonb_object_keys(v_item) k where k not in ('id', 'status', 'error', 'retry_at') limit 1;
    if found then
      raise exception 'outcomes[%] has an unknown key "%" (expected id, status, error, retry_at)', v_at, v_key using errcode = '22023';
    end if;
    if coalesce(jsonb_typeof(v_item -> 'id'), 'missing') not in ('number', 'string')
       or (v_item ->> 'id') !~ '^[1-9][0-9]{0,17}$' then
      raise exception 'outcomes[%].id must be a push id (a positive integer), not %', v_at, coalesce((v_item -> 'id')::text, 'nothing') using errcode = '22023';
    end if;
    if jsonb_typeof(v_item -> 'status') is distinct from 'string'
       or (v_item ->> 'status') not in ('sent', 'skipped', 'failed', 'pending') then
      raise exception 'outcomes[%].status must be "sent", "skipped", "failed" or "pending", not %', v_at, coalesce((v_item -> 'status')::text, 'nothing')
        using errcode = '22023';
    end if;
    if coalesce(jsonb_typeof(v_item -> 'error'), 'null') not in ('null', 'string') then
      raise exception 'outcomes[%].error must be a string or null', v_at using errcode = '22023';
    end if;
    if coalesce(jsonb_typeof(v_item -> 'retry_at'), 'null') <> 'null' then
      begin
        if jsonb_typeof(v_item -> 'retry_at') <> 'string' or not isfinite((v_item ->> 'retry_at')::timestamptz) then
          raise exception using errcode = '22007';
        end if;
      exception when data_exception then
        raise exception 'outcomes[%].retry_at must be a time (ISO 8601, e.g. 2026-12-01T08:00:00Z), not %', v_at, v_item -> 'retry_at'
          using errcode = '22023';
      end;
    end if;
  end loop;

  select coalesce(array_agg(o), '{}') into v_list from jsonb_populate_recordset(null::private.push_outcome, outcomes) o;
  return private.settle_pushes(v_list);
end
$$;
comment on function public.finish_pushes(jsonb) is
  'Records up to 500 push outcomes in one call, [{"id", "status": sent|skipped|failed|pending, "error", "retry_at" (with pending)}], under finish_push''s rules; returns how many rows were still pending and are now settled. Malformed input is refused as a whole (22023).';
revoke execute on function public.finish_pushes(jsonb) from public, anon, authenticated;
grant execute on function public.finish_pushes(jsonb) to service_role;
