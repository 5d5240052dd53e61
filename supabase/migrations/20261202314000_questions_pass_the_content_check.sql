-- Attack round 2 (tests/db/attack-round2.test.ts): a member's question (提问) and follow-ups (追问) were
-- read by every member of the group the moment they were written, without WeChat's content check that a
-- chat message waits for: anything refused in the chat could be posted to the whole group as a question.
--
-- Now a question or reply written by someone who is not a butler of the group is `pending` until the
-- same checker (the content-check function, through claim_content_checks / finish_content_checks, whose
-- shapes do not change) has judged its text. Until then, and when it is flagged, it is read by its
-- author and the group's butlers and admins only (the butlers must answer questions promptly and review
-- what the check flags, as they do for chat messages); everyone else sees it once it passed. A chat
-- message a butler turns into a question passed its check already, so that question is published.

alter table public.group_questions
  add column check_status text not null default 'published' check (check_status in ('pending', 'published', 'flagged'));
alter table public.group_question_replies
  add column check_status text not null default 'published' check (check_status in ('pending', 'published', 'flagged'));
comment on column public.group_questions.check_status is
  'WeChat''s content check of the title and body: pending (the asker and the group''s butlers read it), published (every member), flagged (refused: still only the asker and the butlers). Butlers'' own writing and questions made from checked chat messages are published at once.';
comment on column public.group_question_replies.check_status is
  'WeChat''s content check of the reply: pending and flagged replies are read by their author and the group''s butlers only; butlers'' replies are published at once.';

-- =====================================================================================================
-- the queue
-- =====================================================================================================
create table private.group_question_checks (
  check_id uuid primary key,
  question_id uuid references public.group_questions (id) on delete cascade,
  reply_id uuid references public.group_question_replies (id) on delete cascade,
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  lease_until timestamptz,
  last_error text check (char_length(last_error) <= 500),
  created_at timestamptz not null default now(),
  constraint question_checks_name_one_thing check ((question_id is null) <> (reply_id is null)),
  constraint question_checks_id_is_the_thing check (check_id = coalesce(question_id, reply_id))
);
comment on table private.group_question_checks is
  'Questions and replies waiting for WeChat''s text check, one row each until a verdict (check_id = the question''s or reply''s id, which claim_content_checks hands out as message_id).';
create index group_question_checks_due_idx on private.group_question_checks (next_attempt_at);
create index group_question_checks_question_idx on private.group_question_checks (question_id);
create index group_question_checks_reply_idx on private.group_question_checks (reply_id);
revoke all on private.group_question_checks from public, anon, authenticated;
grant select, update on private.group_question_checks to service_role;

create function private.hold_question_text() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  -- People write through the RPCs (auth.uid() set); the system (no person) and butlers publish at once.
  if (select auth.uid()) is not null and not private.is_group_butler(new.group_id) then
    new.check_status := 'pending';
  else
    new.check_status := 'published';
  end if;
  return new;
end
$$;
comment on function private.hold_question_text() is 'A question or reply by anyone but a butler of the group waits for the content check.';

create function private.queue_question_check() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.check_status = 'pending' then
    if tg_table_name = 'group_questions' then
      insert into private.group_question_checks (check_id, question_id) values (new.id, new.id);
    else
      insert into private.group_question_checks (check_id, reply_id) values (new.id, new.id);
    end if;
  end if;
  return null;
end
$$;
comment on function private.queue_question_check() is 'Queues a pending question or reply for the content-check function.';
revoke execute on function private.hold_question_text(), private.queue_question_check() from public;

create trigger group_questions_hold before insert on public.group_questions
  for each row execute function private.hold_question_text();
create trigger group_questions_queue after insert on public.group_questions
  for each row execute function private.queue_question_check();
create trigger group_question_replies_hold before insert on public.group_question_replies
  for each row execute function private.hold_question_text();
create trigger group_question_replies_queue after insert on public.group_question_replies
  for each row execute function private.queue_question_check();

-- =====================================================================================================
-- who reads what
-- =====================================================================================================
drop policy "members read their groups' questions, admins all" on public.group_questions;
create policy "members read their groups' checked questions and their own, butlers all of their groups, admins all" on public.group_questions
  for select to authenticated using (
    (group_id in (select private.my_group_ids())
      and (check_status = 'published' or asker_id = (select auth.uid())
           or group_id in (select private.butler_groups_of((select auth.uid())))))
    or (select private.is_admin()));
drop policy "members read their groups' replies, admins all" on public.group_question_replies;
create policy "members read their groups' checked replies and their own, butlers all of their groups, admins all" on public.group_question_replies
  for select to authenticated using (
    (group_id in (select private.my_group_ids())
      and (check_status = 'published' or author_id = (select auth.uid())
           or group_id in (select private.butler_groups_of((select auth.uid())))))
    or (select private.is_admin()));

create or replace function private.suggest_faq(p_group uuid, p_text text)
returns table (kind text, id uuid, question text, answer text, matched integer)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_terms text[];
  v_need integer;
begin
  if char_length(coalesce(p_text, '')) > 500 then
    raise exception '输入内容过长，请精简后再试' using errcode = '22023';
  end if;
  if not (private.is_group_member(p_group) or private.is_admin()) then
    return;
  end if;
  v_terms := private.bigrams(p_text);
  if cardinality(v_terms) = 0 then
    return;
  end if;
  v_need := least(cardinality(v_terms), greatest(2, ceil(cardinality(v_terms) * 0.3)::integer));
  return query
  with hits as (
    select 'faq'::text as kind, f.id, f.question, f.answer,
           (select count(*)::integer from unnest(v_terms) t where t = any (f.search_terms)) as matched,
           f.updated_at as at
      from public.group_faqs f
     where f.group_id = p_group and f.search_terms && v_terms
    union all
    select 'question', gq.id, gq.title, coalesce(r.body, ''),
           (select count(*)::integer from unnest(v_terms) t where t = any (gq.search_terms)),
           gq.answered_at
      from public.group_questions gq
      left join public.group_question_replies r on r.id = gq.answer_reply_id
     where gq.group_id = p_group and gq.status in ('answered', 'accepted') and gq.search_terms && v_terms
       and gq.check_status = 'published'
       and not exists (select 1 from public.group_faqs f where f.source_question_id = gq.id)
  )
  select h.kind, h.id, h.question, h.answer, h.matched
    from hits h
   where h.matched >= v_need
   order by h.matched desc, (h.kind = 'faq') desc, h.at desc nulls last
   limit 5;
end
$$;
comment on function private.suggest_faq(uuid, text) is
  'The suggestion query with its access rule checked once (a member of the group, or an admin; nothing for anyone else), so no row-level policy is evaluated per candidate row. Only questions that passed the content check are offered.';

-- =====================================================================================================
-- the checker's RPCs: question checks ride along, under message_id, as text
-- =====================================================================================================
create function private.apply_question_verdict(p_id uuid, p_suggest text) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_check private.group_question_checks;
  v_status text := case when p_suggest = 'pass' then 'published' else 'flagged' end;
begin
  delete from private.group_question_checks c where c.check_id = p_id returning * into v_check;
  if v_check.check_id is null then
    return false;
  end if;
  if v_check.question_id is not null then
    update public.group_questions q set check_status = v_status where q.id = v_check.question_id and q.check_status = 'pending';
  else
    update public.group_question_replies r set check_status = v_status where r.id = v_check.reply_id and r.check_status = 'pending';
  end if;
  return true;
end
$$;
comment on function private.apply_question_verdict(uuid, text) is
  'Publishes (pass) or flags (risky, review) a question or reply still waiting for its check; false when none waits under that id.';
revoke execute on function private.apply_question_verdict(uuid, text) from public;
grant execute on function private.apply_question_verdict(uuid, text) to service_role;

create or replace function public.claim_content_checks(batch_size integer default 20, lease_seconds integer default 120)
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
  ), due_q as (
    select c.check_id from private.group_question_checks c
     where c.next_attempt_at <= now() and (c.lease_until is null or c.lease_until < now())
     order by c.next_attempt_at, c.check_id
     limit batch_size
     for update skip locked
  ), claimed_q as (
    update private.group_question_checks c
       set lease_until = now() + make_interval(secs => lease_seconds), attempts = c.attempts + 1
      from due_q where c.check_id = due_q.check_id
    returning c.*
  )
  select x.message_id, x.group_id, x.sender_id, x.openid, x.kind, x.body, x.media_bucket, x.media_path, x.state,
         x.trace_id, x.attempts, x.created_at
    from (
      select c.message_id, m.group_id, m.sender_id, w.openid, m.kind, m.body,
             case m.kind when 'image' then 'chat-images' when 'voice' then 'chat-voice' end as media_bucket,
             m.media_path, c.state, c.trace_id, c.attempts, m.created_at
        from claimed c
        join public.group_messages m on m.id = c.message_id
        left join private.wechat_identities w on w.user_id = m.sender_id
      union all
      select c.check_id, coalesce(q.group_id, r.group_id), coalesce(q.asker_id, r.author_id), w.openid, 'text',
             case when q.id is not null then q.title || coalesce(E'\n' || nullif(q.body, ''), '') else r.body end,
             null, null, 'due', null, c.attempts, coalesce(q.created_at, r.created_at)
        from claimed_q c
        left join public.group_questions q on q.id = c.question_id
        left join public.group_question_replies r on r.id = c.reply_id
        left join private.wechat_identities w on w.user_id = coalesce(q.asker_id, r.author_id)
    ) x
   order by x.created_at, x.message_id;
end
$$;
comment on function public.claim_content_checks(integer, integer) is
  'The content-check function takes due checks under a lease (skip locked: two checkers never share one), with what WeChat needs: the text, or the media object, and the sender''s openid. Up to batch_size chat messages and as many questions or replies (their id as message_id, kind text, the title and body as body).';

create or replace function public.finish_content_checks(outcomes jsonb) returns integer
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
      if private.apply_message_verdict(v_id, v_outcome, (v_item ->> 'label')::int, 'msgSecCheck', v_item ->> 'error')
         or private.apply_question_verdict(v_id, v_outcome) then
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
      else
        -- A question's text is never submitted as media: whatever the outcome, it is tried again then.
        update private.group_question_checks c
           set next_attempt_at = (v_item ->> 'retry_at')::timestamptz, last_error = left(v_item ->> 'error', 500), lease_until = null
         where c.check_id = v_id;
        if found then
          v_done := v_done + 1;
        end if;
      end if;
    end if;
  end loop;
  return v_done;
end
$$;
comment on function public.finish_content_checks(jsonb) is
  'Records the checker''s outcomes, [{"message_id", "outcome": pass|risky|review (a text verdict) | submitted (media sent; "trace_id", "retry_at" = deadline for the event) | retry ("retry_at", "error")}]; message_id may name a question or reply claimed with the messages. Checks already judged or withdrawn are skipped. Returns how many were applied.';

revoke execute on all functions in schema private from public;
