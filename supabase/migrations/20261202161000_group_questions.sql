-- The question desk (问答): a member asks (提问), or a butler turns a chat message into a question; the
-- butler on duty owns it and it is due after the group's response target in working time. A butler marks
-- a reply as the answer (已解答); the asker accepts it (已采纳) or asks again, which re-opens it for its
-- owner; a butler may close it (已关闭).
--
-- State changes only through the RPCs below, which check the transition and who asks, lock the
-- question row (two butlers at once end in one state), write an append-only event and notify through
-- private.notify in the same transaction. Clients have SELECT only.

-- =====================================================================================================
-- types and helpers
-- =====================================================================================================
create type public.question_status as enum ('open', 'answered', 'accepted', 'closed');
comment on type public.question_status is '待解答 open → 已解答 answered → 已采纳 accepted, or 已关闭 closed; asking again re-opens an answered question.';

create function private.bigrams(p_text text) returns text[]
language sql immutable parallel safe set search_path = ''
as $$
  select coalesce(array_agg(distinct substr(s.t, i, 2)), '{}')
    from (select regexp_replace(lower(coalesce(p_text, '')),
                                '[[:space:][:punct:]，。？！、；：“”‘’（）《》【】…—·～]+', '', 'g') as t) s,
         generate_series(1, char_length(s.t) - 1) i
$$;
comment on function private.bigrams(text) is
  'The distinct two-character pieces of a text, spaces and punctuation dropped: the index terms of Chinese substring search (补贴 is a piece of 一次性创业补贴). Works with a GIN index on PGlite and PostgreSQL alike, with no extension.';
revoke execute on function private.bigrams(text) from public;
grant execute on function private.bigrams(text) to authenticated, service_role;
-- (suggest_faq runs with the caller's rights and computes the pieces of what is typed with it.)

-- =====================================================================================================
-- questions, replies, events
-- =====================================================================================================
create table public.group_questions (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references public.groups (id) on delete cascade,
  asker_id uuid not null references public.profiles (id) on delete cascade,
  source_message_id uuid,
  title text not null check (char_length(btrim(title)) between 1 and 80),
  body text not null default '' check (char_length(body) <= 2000),
  status public.question_status not null default 'open',
  owner_id uuid references public.profiles (id) on delete set null,
  due_at timestamptz not null,
  overdue boolean not null default false,
  answer_reply_id uuid,
  first_answered_at timestamptz,
  answered_at timestamptz,
  accepted_at timestamptz,
  closed_at timestamptz,
  reopened_count integer not null default 0 check (reopened_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_terms text[] not null default '{}',
  constraint answered_questions_have_an_answer check (status <> 'answered' or answer_reply_id is not null)
);
comment on table public.group_questions is
  '提问 of a group: read by the group''s members and admins; changed only through the question RPCs (ask_question, reply_to_question, mark_answer, accept_answer, reopen_question, close_question, claim_question, assign_question).';
comment on column public.group_questions.owner_id is 'The butler who answers it: the butler on duty when it was asked (or handed over, claimed, assigned); null while the group has no butler.';
comment on column public.group_questions.due_at is 'created (or re-opened) + the group''s response_target_minutes of working time (private.add_working_minutes).';
comment on column public.group_questions.overdue is 'Raised once by the question-desk job when an open question passed due_at, after all the group''s butlers were told; stays as history.';
comment on column public.group_questions.source_message_id is 'The chat message a butler turned into this question (one question per message).';
comment on column public.group_questions.first_answered_at is 'The first reply by a butler of the group: the first-answer time of the workbench summary.';
comment on column public.group_questions.search_terms is 'private.bigrams of the title and the start of the body, kept by a trigger, for suggest_faq.';

create index group_questions_group_idx on public.group_questions (group_id, status, created_at desc);
create index group_questions_open_due_idx on public.group_questions (group_id, due_at) where status = 'open';
create index group_questions_owner_idx on public.group_questions (owner_id, status, due_at);
create index group_questions_asker_idx on public.group_questions (asker_id, created_at desc);
create unique index group_questions_source_message_idx on public.group_questions (source_message_id);
create index group_questions_answer_idx on public.group_questions (answer_reply_id);
create index group_questions_overdue_job_idx on public.group_questions (due_at) where status = 'open' and not overdue;
create index group_questions_terms_idx on public.group_questions using gin (search_terms) where status in ('answered', 'accepted');

create table public.group_question_replies (
  id uuid primary key default gen_random_uuid(),
  question_id uuid not null references public.group_questions (id) on delete cascade,
  group_id uuid not null references public.groups (id) on delete cascade,
  author_id uuid not null references public.profiles (id) on delete cascade,
  body text not null check (char_length(btrim(body)) between 1 and 2000),
  created_at timestamptz not null default now()
);
comment on table public.group_question_replies is
  'Replies to a question, by the group''s butlers and the asker (追问). Read like the question; written only through reply_to_question and reopen_question.';
create index group_question_replies_question_idx on public.group_question_replies (question_id, created_at);
create index group_question_replies_group_idx on public.group_question_replies (group_id);
create index group_question_replies_author_idx on public.group_question_replies (author_id);

alter table public.group_questions add constraint group_questions_answer_reply_fkey
  foreign key (answer_reply_id) references public.group_question_replies (id) on delete set null;

create table public.group_question_events (
  id bigint generated always as identity primary key,
  question_id uuid not null references public.group_questions (id) on delete cascade,
  group_id uuid not null references public.groups (id) on delete cascade,
  actor_id uuid references public.profiles (id) on delete set null,
  kind text not null check (kind in ('asked', 'assigned', 'claimed', 'replied', 'answer_marked', 'accepted',
                                      'reopened', 'closed', 'overdue', 'handed_over')),
  from_status public.question_status,
  to_status public.question_status,
  owner_id uuid references public.profiles (id) on delete set null,
  note text not null default '' check (char_length(note) <= 200),
  created_at timestamptz not null default now()
);
comment on table public.group_question_events is
  'Append-only history of every question transition (who, from, to, owner after, note such as a hand-over note). Read by the group''s butlers and admins; written only by the question RPCs and the job; nobody updates or deletes it through the API.';
create index group_question_events_question_idx on public.group_question_events (question_id, id);
create index group_question_events_group_idx on public.group_question_events (group_id);
create index group_question_events_actor_idx on public.group_question_events (actor_id);
create index group_question_events_owner_idx on public.group_question_events (owner_id);

alter table public.group_questions enable row level security;
alter table public.group_question_replies enable row level security;
alter table public.group_question_events enable row level security;
revoke all on public.group_questions, public.group_question_replies, public.group_question_events from anon, authenticated;
revoke update, delete, truncate on public.group_question_events from service_role;
grant select on public.group_questions, public.group_question_replies, public.group_question_events to authenticated;

create trigger group_questions_touch before update on public.group_questions
  for each row execute function private.touch_updated_at();

create function private.index_question_terms() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.search_terms := private.bigrams(new.title || ' ' || left(new.body, 200));
  return new;
end
$$;
comment on function private.index_question_terms() is 'Keeps group_questions.search_terms in step with the title and body.';
revoke execute on function private.index_question_terms() from public;

create trigger group_questions_terms before insert or update of title, body on public.group_questions
  for each row execute function private.index_question_terms();

create policy "members read their groups' questions, admins all" on public.group_questions
  for select to authenticated using (group_id in (select private.my_group_ids()) or (select private.is_admin()));
create policy "members read their groups' replies, admins all" on public.group_question_replies
  for select to authenticated using (group_id in (select private.my_group_ids()) or (select private.is_admin()));
create policy "group managers read question history" on public.group_question_events
  for select to authenticated using (private.can_manage_group(group_id));

-- =====================================================================================================
-- who answers
-- =====================================================================================================
create function private.group_butler_ids(p_group uuid) returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.user_id from public.group_members m join public.profiles p on p.id = m.user_id
   where m.group_id = p_group and m.role = 'butler' and p.role in ('butler', 'admin')
$$;
comment on function private.group_butler_ids(uuid) is 'The people who are butlers of the group (and still staff).';

create function private.butler_on_duty(p_group uuid, p_at timestamptz default now()) returns uuid
language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select s.butler_id
       from public.group_duty_shifts s
       join public.group_members m on m.group_id = s.group_id and m.user_id = s.butler_id and m.role = 'butler'
       join public.profiles p on p.id = s.butler_id and p.role in ('butler', 'admin')
      where s.group_id = p_group and s.starts_at <= p_at and s.ends_at > p_at
      order by s.starts_at desc, s.id
      limit 1),
    (select m.user_id
       from public.group_members m
       join public.profiles p on p.id = m.user_id and p.role in ('butler', 'admin')
      where m.group_id = p_group and m.role = 'butler'
      order by (select count(*) from public.group_questions q
                 where q.owner_id = m.user_id and q.group_id = p_group and q.status = 'open'),
               m.joined_at, m.user_id
      limit 1)
  )
$$;
comment on function private.butler_on_duty(uuid, timestamptz) is
  'The butler who owns a group''s new questions at a moment: the one on the roster then, else the group''s butler with the fewest open questions there (earliest to join on a tie); null for a group without butlers.';
revoke execute on function private.butler_on_duty(uuid, timestamptz) from public;
grant execute on function private.butler_on_duty(uuid, timestamptz) to authenticated, service_role;

-- =====================================================================================================
-- internal steps shared by the RPCs (no grants: only the RPCs and the job call them)
-- =====================================================================================================
create function private.question_link(p_question uuid) returns text
language sql immutable set search_path = ''
as $$ select '/subpackages/groups/pages/question/index?id=' || p_question::text $$;
comment on function private.question_link(uuid) is 'The page a question''s notifications open.';

create function private.log_question_event(
  p_q public.group_questions, p_kind text, p_from public.question_status, p_note text default ''
) returns void
language sql volatile security definer set search_path = ''
as $$
  insert into public.group_question_events (question_id, group_id, actor_id, kind, from_status, to_status, owner_id, note)
  values (p_q.id, p_q.group_id, (select auth.uid()), p_kind, p_from, p_q.status, p_q.owner_id, left(coalesce(p_note, ''), 200))
$$;
comment on function private.log_question_event(public.group_questions, text, public.question_status, text) is
  'Appends one history row for a question transition, as the caller (null for the system''s job).';

create function private.notify_question_owner(p_q public.group_questions, p_kind text, p_title text, p_body text, p_dedupe text)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if p_q.owner_id is null or p_q.owner_id = (select auth.uid()) then
    return; -- nobody to tell, or the butler did it themselves
  end if;
  perform private.notify(p_q.owner_id, p_kind, left(p_title, 40), left(p_body, 200), private.question_link(p_q.id),
                         jsonb_build_object('question_id', p_q.id, 'group_id', p_q.group_id), p_dedupe);
end
$$;
comment on function private.notify_question_owner(public.group_questions, text, text, text, text) is
  'Tells a question''s owner (butler) about it in the message centre, unless they caused it.';

create function private.lock_question(p_question uuid) returns public.group_questions
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.group_questions;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v from public.group_questions q where q.id = p_question for update;
  if v.id is null or not (private.is_group_member(v.group_id) or private.is_admin()) then
    raise exception '找不到这个问题' using errcode = 'P0002';
  end if;
  return v;
end
$$;
comment on function private.lock_question(uuid) is
  'The question, locked for the rest of the transaction (concurrent changes wait and then see this one''s outcome); P0002 for a question the caller cannot see.';

create function private.require_question_butler(p_q public.group_questions, p_action text) returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.is_group_butler(p_q.group_id) then
    raise exception '只有本群的创业管家可以%', p_action using errcode = '42501';
  end if;
end
$$;
comment on function private.require_question_butler(public.group_questions, text) is 'Refuses (42501) a caller who is not a butler of the question''s group.';

create function private.set_question_owner(p_q public.group_questions, p_owner uuid, p_kind text, p_note text)
returns public.group_questions
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.group_questions;
  v_group text;
begin
  update public.group_questions q set owner_id = p_owner where q.id = p_q.id returning * into v;
  perform private.log_question_event(v, p_kind, p_q.status, p_note);
  if p_owner is not null and p_owner is distinct from (select auth.uid()) then
    select g.name into v_group from public.groups g where g.id = v.group_id;
    perform private.notify(
      p_owner, 'question_assigned', left('新问题待解答：' || v.title, 40),
      left(coalesce(nullif(p_note, '') || '。', '') || v_group || '，请在' ||
           to_char(v.due_at at time zone 'Asia/Shanghai', 'MM月DD日 HH24:MI') || '前答复。', 200),
      private.question_link(v.id), jsonb_build_object('question_id', v.id, 'group_id', v.group_id, 'due_at', v.due_at),
      'question_assigned:' || v.id || ':' || p_owner || ':' ||
        (select count(*) from public.group_question_events e where e.question_id = v.id));
  end if;
  return v;
end
$$;
comment on function private.set_question_owner(public.group_questions, uuid, text, text) is
  'Gives a question to a butler (or nobody), records the event and tells the new owner (assignment notification).';

-- =====================================================================================================
-- asking
-- =====================================================================================================
create function private.check_question_text(p_title text, p_body text) returns void
language plpgsql immutable set search_path = ''
as $$
begin
  if char_length(btrim(coalesce(p_title, ''))) not between 1 and 80 then
    raise exception '问题标题应为1到80个字' using errcode = '22023';
  end if;
  if char_length(coalesce(p_body, '')) > 2000 then
    raise exception '问题说明最多2000个字' using errcode = '22023';
  end if;
end
$$;
comment on function private.check_question_text(text, text) is 'Refuses (22023) an empty or too long title, or a too long body, before anything is written.';

create function private.open_question(p_group uuid, p_asker uuid, p_title text, p_body text, p_source_message uuid)
returns public.group_questions
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.group_questions;
  v_group public.groups;
begin
  select * into v_group from public.groups g where g.id = p_group;
  if v_group.archived_at is not null then
    raise exception '这个创业群已停用' using errcode = 'P0001';
  end if;
  insert into public.group_questions (group_id, asker_id, source_message_id, title, body, due_at)
  values (p_group, p_asker, p_source_message, btrim(p_title), coalesce(btrim(p_body), ''),
          private.add_working_minutes(now(), v_group.response_target_minutes))
  returning * into v;
  perform private.log_question_event(v, 'asked', null);
  return private.set_question_owner(v, private.butler_on_duty(p_group, now()), 'assigned', '');
end
$$;
comment on function private.open_question(uuid, uuid, text, text, uuid) is
  'Writes a new open question with its due time, records it and gives it to the butler on duty.';

create function private.ask_question(p_group uuid, p_title text, p_body text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
begin
  if v_me is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not private.is_group_member(p_group) then
    raise exception '只有本群成员可以在群里提问' using errcode = '42501';
  end if;
  perform private.check_question_text(p_title, p_body);
  if (select count(*) from public.group_questions q
       where q.asker_id = v_me and q.created_at > now() - interval '1 day') >= 30 then
    raise exception '今天提问太多了，请明天再试' using errcode = 'P0001';
  end if;
  return (private.open_question(p_group, v_me, p_title, p_body, null)).id;
end
$$;
comment on function private.ask_question(uuid, text, text) is 'A member asks a question in their group (at most 30 a day).';

create function public.ask_question(group_id uuid, title text, body text default '') returns public.group_questions
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.ask_question(group_id, title, body);
  v public.group_questions;
begin
  select * into v from public.group_questions q where q.id = v_id;
  return v;
end
$$;
comment on function public.ask_question(uuid, text, text) is '提问: a member asks in their group; answers with the question, its owner and due time.';

-- =====================================================================================================
-- replies and answers
-- =====================================================================================================
create function private.mark_answer_locked(p_q public.group_questions, p_reply public.group_question_replies)
returns public.group_questions
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.group_questions;
begin
  if p_q.status <> 'open' then
    raise exception '这个问题已有答案或已结束，不能再标记答案' using errcode = '22023';
  end if;
  if p_reply.author_id = p_q.asker_id or not exists (
    select 1 from public.group_members m where m.group_id = p_q.group_id and m.user_id = p_reply.author_id and m.role = 'butler'
  ) then
    raise exception '只有创业管家的回复可以标记为答案' using errcode = '22023';
  end if;
  update public.group_questions q
     set status = 'answered', answer_reply_id = p_reply.id, answered_at = now(),
         first_answered_at = coalesce(q.first_answered_at, p_reply.created_at),
         owner_id = coalesce(q.owner_id, (select auth.uid()))
   where q.id = p_q.id
  returning * into v;
  perform private.log_question_event(v, 'answer_marked', p_q.status);
  perform private.notify(
    v.asker_id, 'question_answered', left('您的提问有了解答：' || v.title, 40), left(p_reply.body, 200),
    private.question_link(v.id), jsonb_build_object('question_id', v.id, 'group_id', v.group_id, 'reply_id', p_reply.id),
    'question_answered:' || v.id || ':' || v.reopened_count, 'question_answered');
  return v;
end
$$;
comment on function private.mark_answer_locked(public.group_questions, public.group_question_replies) is
  'Marks a butler''s reply as the answer of a locked open question and tells the asker (message centre and push).';

create function private.reply_to_question(p_question uuid, p_body text, p_as_answer boolean) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_q public.group_questions := private.lock_question(p_question);
  v_me uuid := (select auth.uid());
  v_butler boolean := private.is_group_butler(v_q.group_id);
  v_reply public.group_question_replies;
begin
  if not v_butler and v_me <> v_q.asker_id then
    raise exception '只有本群的创业管家和提问人可以回复' using errcode = '42501';
  end if;
  if char_length(btrim(coalesce(p_body, ''))) not between 1 and 2000 then
    raise exception '回复应为1到2000个字' using errcode = '22023';
  end if;
  if v_q.status not in ('open', 'answered') then
    raise exception '问题已采纳或已关闭，不能再回复' using errcode = '22023';
  end if;
  if coalesce(p_as_answer, false) and not v_butler then
    raise exception '只有本群的创业管家可以标记答案' using errcode = '42501';
  end if;
  if coalesce(p_as_answer, false) and v_q.status <> 'open' then
    raise exception '这个问题已有答案或已结束，不能再标记答案' using errcode = '22023';
  end if;
  insert into public.group_question_replies (question_id, group_id, author_id, body)
  values (v_q.id, v_q.group_id, v_me, btrim(p_body))
  returning * into v_reply;
  if v_butler then
    update public.group_questions q
       set first_answered_at = coalesce(q.first_answered_at, v_reply.created_at),
           owner_id = coalesce(q.owner_id, v_me)
     where q.id = v_q.id
    returning * into v_q;
  end if;
  perform private.log_question_event(v_q, 'replied', v_q.status);
  if coalesce(p_as_answer, false) then
    perform private.mark_answer_locked(v_q, v_reply);
  elsif v_butler and v_me <> v_q.asker_id then
    perform private.notify(
      v_q.asker_id, 'question_replied', left('创业管家回复了您的提问', 40), left(v_reply.body, 200),
      private.question_link(v_q.id), jsonb_build_object('question_id', v_q.id, 'reply_id', v_reply.id),
      'question_replied:' || v_reply.id);
  else
    perform private.notify_question_owner(v_q, 'question_followup', '提问人补充了问题：' || v_q.title, v_reply.body,
                                          'question_followup:' || v_reply.id);
  end if;
  return v_reply.id;
end
$$;
comment on function private.reply_to_question(uuid, text, boolean) is
  'A butler of the group or the asker replies to an open or answered question; a butler''s first reply is the first-answer time, and with p_as_answer it is marked the answer at once.';

create function public.reply_to_question(question_id uuid, body text, as_answer boolean default false)
returns public.group_question_replies
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.reply_to_question(question_id, body, as_answer);
  v public.group_question_replies;
begin
  select * into v from public.group_question_replies r where r.id = v_id;
  return v;
end
$$;
comment on function public.reply_to_question(uuid, text, boolean) is '回复 a question (its group''s butlers, its asker); as_answer (butlers) marks the reply as the answer in the same step.';

create function private.mark_answer(p_reply uuid) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_reply public.group_question_replies;
  v_q public.group_questions;
begin
  select * into v_reply from public.group_question_replies r where r.id = p_reply;
  if v_reply.id is null then
    raise exception '找不到这条回复' using errcode = 'P0002';
  end if;
  v_q := private.lock_question(v_reply.question_id);
  perform private.require_question_butler(v_q, '标记答案');
  return (private.mark_answer_locked(v_q, v_reply)).id;
end
$$;
comment on function private.mark_answer(uuid) is 'A butler of the group marks a butler''s reply as the answer of an open question.';

create function public.mark_answer(reply_id uuid) returns public.group_questions
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.mark_answer(reply_id);
  v public.group_questions;
begin
  select * into v from public.group_questions q where q.id = v_id;
  return v;
end
$$;
comment on function public.mark_answer(uuid) is '标记为答案 (the group''s butlers): the question becomes 已解答 and the asker is told.';

-- =====================================================================================================
-- the asker: accept, or ask again
-- =====================================================================================================
create function private.accept_answer(p_question uuid) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_q public.group_questions := private.lock_question(p_question);
  v public.group_questions;
begin
  if v_q.asker_id <> (select auth.uid()) then
    raise exception '只有提问人可以采纳答案' using errcode = '42501';
  end if;
  if v_q.status = 'accepted' then
    return v_q.id; -- a retried tap: already accepted
  end if;
  if v_q.status <> 'answered' then
    raise exception '只有已解答的问题可以采纳' using errcode = '22023';
  end if;
  update public.group_questions q set status = 'accepted', accepted_at = now() where q.id = v_q.id returning * into v;
  perform private.log_question_event(v, 'accepted', v_q.status);
  perform private.notify_question_owner(v, 'question_accepted', '提问人采纳了答案：' || v.title, '感谢您的解答。',
                                        'question_accepted:' || v.id);
  return v.id;
end
$$;
comment on function private.accept_answer(uuid) is 'The asker accepts the marked answer (已采纳); the owner is told.';

create function public.accept_answer(question_id uuid) returns public.group_questions
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.accept_answer(question_id);
  v public.group_questions;
begin
  select * into v from public.group_questions q where q.id = v_id;
  return v;
end
$$;
comment on function public.accept_answer(uuid) is '采纳 (the asker only) an answered question.';

create function private.reopen_question(p_question uuid, p_body text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_q public.group_questions := private.lock_question(p_question);
  v public.group_questions;
  v_target integer;
  v_owner uuid;
begin
  if v_q.asker_id <> (select auth.uid()) then
    raise exception '只有提问人可以继续追问' using errcode = '42501';
  end if;
  if char_length(btrim(coalesce(p_body, ''))) not between 1 and 2000 then
    raise exception '追问内容应为1到2000个字' using errcode = '22023';
  end if;
  if v_q.status <> 'answered' then
    raise exception '只有已解答、未采纳的问题可以继续追问' using errcode = '22023';
  end if;
  insert into public.group_question_replies (question_id, group_id, author_id, body)
  values (v_q.id, v_q.group_id, (select auth.uid()), btrim(p_body));
  select g.response_target_minutes into v_target from public.groups g where g.id = v_q.group_id;
  -- The owner keeps it while still a butler of the group; otherwise the butler on duty takes it.
  v_owner := case when v_q.owner_id in (select private.group_butler_ids(v_q.group_id)) then v_q.owner_id
                  else private.butler_on_duty(v_q.group_id, now()) end;
  update public.group_questions q
     set status = 'open', answer_reply_id = null, answered_at = null, overdue = false,
         reopened_count = q.reopened_count + 1, owner_id = v_owner,
         due_at = private.add_working_minutes(now(), v_target)
   where q.id = v_q.id
  returning * into v;
  perform private.log_question_event(v, 'reopened', v_q.status, left(btrim(p_body), 200));
  perform private.notify_question_owner(v, 'question_reopened', '提问人继续追问：' || v.title, btrim(p_body),
                                        'question_reopened:' || v.id || ':' || v.reopened_count);
  return v.id;
end
$$;
comment on function private.reopen_question(uuid, text) is
  'The asker asks again on an answered question: it is open again with a new due time, the follow-up is a reply, and the owner is told.';

create function public.reopen_question(question_id uuid, body text) returns public.group_questions
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.reopen_question(question_id, body);
  v public.group_questions;
begin
  select * into v from public.group_questions q where q.id = v_id;
  return v;
end
$$;
comment on function public.reopen_question(uuid, text) is '继续追问 (the asker only): re-opens an answered question with a follow-up.';

-- =====================================================================================================
-- butlers: close, claim, assign
-- =====================================================================================================
create function private.close_question(p_question uuid, p_reason text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_q public.group_questions := private.lock_question(p_question);
  v public.group_questions;
begin
  perform private.require_question_butler(v_q, '关闭问题');
  if char_length(coalesce(p_reason, '')) > 200 then
    raise exception '关闭原因最多200个字' using errcode = '22023';
  end if;
  if v_q.status = 'closed' then
    return v_q.id;
  end if;
  if v_q.status not in ('open', 'answered') then
    raise exception '已采纳的问题不能关闭' using errcode = '22023';
  end if;
  update public.group_questions q set status = 'closed', closed_at = now() where q.id = v_q.id returning * into v;
  perform private.log_question_event(v, 'closed', v_q.status, coalesce(btrim(p_reason), ''));
  perform private.notify(
    v.asker_id, 'question_closed', left('您的提问已关闭：' || v.title, 40),
    left(coalesce('原因：' || nullif(btrim(p_reason), ''), '如仍有疑问，可以重新提问。'), 200),
    private.question_link(v.id), jsonb_build_object('question_id', v.id), 'question_closed:' || v.id);
  return v.id;
end
$$;
comment on function private.close_question(uuid, text) is 'A butler of the group closes an open or answered question (已关闭) with a reason the asker is shown.';

create function public.close_question(question_id uuid, reason text default '') returns public.group_questions
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.close_question(question_id, reason);
  v public.group_questions;
begin
  select * into v from public.group_questions q where q.id = v_id;
  return v;
end
$$;
comment on function public.close_question(uuid, text) is '关闭问题 (the group''s butlers).';

create function private.claim_question(p_question uuid) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_q public.group_questions := private.lock_question(p_question);
  v_me uuid := (select auth.uid());
  v_name text;
begin
  perform private.require_question_butler(v_q, '认领问题');
  if v_q.status <> 'open' then
    raise exception '只有待解答的问题可以认领' using errcode = '22023';
  end if;
  if v_q.owner_id = v_me then
    return v_q.id;
  end if;
  if v_q.owner_id is not null and v_q.owner_id in (select private.group_butler_ids(v_q.group_id)) then
    select p.display_name into v_name from public.profiles p where p.id = v_q.owner_id;
    raise exception '这个问题已由%负责，如需接手请让对方转交', v_name using errcode = 'P0001';
  end if;
  return (private.set_question_owner(v_q, v_me, 'claimed', '')).id;
end
$$;
comment on function private.claim_question(uuid) is
  'A butler of the group takes an open question nobody (still a butler there) owns; two claims at once: the first wins, the second is told who has it.';

create function public.claim_question(question_id uuid) returns public.group_questions
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.claim_question(question_id);
  v public.group_questions;
begin
  select * into v from public.group_questions q where q.id = v_id;
  return v;
end
$$;
comment on function public.claim_question(uuid) is '认领 an unassigned open question (the group''s butlers).';

create function private.assign_question(p_question uuid, p_butler uuid, p_note text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_q public.group_questions := private.lock_question(p_question);
begin
  perform private.require_question_butler(v_q, '转交问题');
  if char_length(coalesce(p_note, '')) > 200 then
    raise exception '转交说明最多200个字' using errcode = '22023';
  end if;
  if v_q.status <> 'open' then
    raise exception '只有待解答的问题可以转交' using errcode = '22023';
  end if;
  if p_butler is null or p_butler not in (select private.group_butler_ids(v_q.group_id)) then
    raise exception '只能转交给本群的创业管家' using errcode = '22023';
  end if;
  if v_q.owner_id = p_butler then
    return v_q.id;
  end if;
  return (private.set_question_owner(v_q, p_butler, 'assigned', coalesce(btrim(p_note), ''))).id;
end
$$;
comment on function private.assign_question(uuid, uuid, text) is 'A butler of the group gives an open question to another butler of the group, who is told.';

create function public.assign_question(question_id uuid, butler_id uuid, note text default '') returns public.group_questions
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.assign_question(question_id, butler_id, note);
  v public.group_questions;
begin
  select * into v from public.group_questions q where q.id = v_id;
  return v;
end
$$;
comment on function public.assign_question(uuid, uuid, text) is '转交 an open question to another butler of its group (the group''s butlers).';

-- =====================================================================================================
-- grants: private steps to the callers of the public wrappers only
-- =====================================================================================================
insert into private.push_templates (key, label) values ('question_answered', '问题解答通知');

revoke execute on all functions in schema private from public;
grant execute on function private.ask_question(uuid, text, text), private.reply_to_question(uuid, text, boolean),
  private.mark_answer(uuid), private.accept_answer(uuid), private.reopen_question(uuid, text),
  private.close_question(uuid, text), private.claim_question(uuid), private.assign_question(uuid, uuid, text)
  to authenticated;
revoke execute on function public.ask_question(uuid, text, text), public.reply_to_question(uuid, text, boolean),
  public.mark_answer(uuid), public.accept_answer(uuid), public.reopen_question(uuid, text),
  public.close_question(uuid, text), public.claim_question(uuid), public.assign_question(uuid, uuid, text)
  from public, anon;
