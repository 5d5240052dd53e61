-- What the desk learns: a group's FAQ (常见问题), built by its butlers from answered questions and
-- offered to workers while they type a question (suggest_faq: Chinese substring matching on bigrams), and
-- butlers' canned replies (常用回复), personal or shared with the other butlers of a group.

-- =====================================================================================================
-- FAQ entries
-- =====================================================================================================
create table public.group_faqs (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references public.groups (id) on delete cascade,
  question text not null check (char_length(btrim(question)) between 1 and 200),
  answer text not null check (char_length(btrim(answer)) between 1 and 4000),
  source_question_id uuid references public.group_questions (id) on delete set null,
  policy_post_id uuid references public.posts (id) on delete set null,
  needs_recheck boolean not null default false,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  updated_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_terms text[] not null default '{}'
);
comment on table public.group_faqs is
  'A group''s FAQ (常见问题): read by its members and admins, written by its butlers and admins (directly, or from an answered question with create_faq_from_question).';
comment on column public.group_faqs.policy_post_id is 'The policy post the answer relies on, if any; when that post is edited the entry is flagged needs_recheck.';
comment on column public.group_faqs.needs_recheck is 'True when the linked policy changed after the answer was written (待复核); a butler clears it after checking.';
comment on column public.group_faqs.search_terms is 'private.bigrams(question), kept by the check trigger, for suggest_faq.';

create index group_faqs_group_idx on public.group_faqs (group_id, updated_at desc);
create unique index group_faqs_source_question_idx on public.group_faqs (source_question_id);
create index group_faqs_policy_post_idx on public.group_faqs (policy_post_id);
create index group_faqs_created_by_idx on public.group_faqs (created_by);
create index group_faqs_updated_by_idx on public.group_faqs (updated_by);
create index group_faqs_terms_idx on public.group_faqs using gin (search_terms);

alter table public.group_faqs enable row level security;
revoke all on public.group_faqs from anon, authenticated;
grant select, delete on public.group_faqs to authenticated;
grant insert (group_id, question, answer, policy_post_id, needs_recheck),
      update (question, answer, policy_post_id, needs_recheck) on public.group_faqs to authenticated;

create policy "members read their groups' FAQ, admins all" on public.group_faqs
  for select to authenticated using (group_id in (select private.my_group_ids()) or (select private.is_admin()));
create policy "group managers add FAQ entries" on public.group_faqs
  for insert to authenticated with check (private.can_manage_group(group_id));
create policy "group managers edit FAQ entries" on public.group_faqs
  for update to authenticated using (private.can_manage_group(group_id)) with check (private.can_manage_group(group_id));
create policy "group managers remove FAQ entries" on public.group_faqs
  for delete to authenticated using (private.can_manage_group(group_id));

create function private.check_group_faq() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  -- Writes by other triggers (a linked post changed) and by foreign-key actions (a source question or
  -- an editor deleted) are the system's, not an edit by whoever caused them.
  if pg_catalog.pg_trigger_depth() > 1 then
    return new;
  end if;
  if tg_op = 'INSERT' then
    new.created_by := coalesce((select auth.uid()), new.created_by);
    new.created_at := now();
    if (select count(*) from public.group_faqs f where f.group_id = new.group_id) >= 500 then
      raise exception '每个群最多500条常见问题' using errcode = 'P0001';
    end if;
  else
    -- A linked policy changed and the butler saved the entry again: it has been looked at.
    if new.needs_recheck and old.needs_recheck and (new.answer is distinct from old.answer or new.question is distinct from old.question) then
      new.needs_recheck := false;
    end if;
  end if;
  new.updated_by := (select auth.uid());
  if new.policy_post_id is not null and (tg_op = 'INSERT' or new.policy_post_id is distinct from old.policy_post_id)
     and not exists (select 1 from public.posts p where p.id = new.policy_post_id and p.status = 'published'
                                                    and p.published_at <= now()) then
    raise exception '只能关联已发布的资讯' using errcode = '22023';
  end if;
  new.question := btrim(new.question);
  new.search_terms := private.bigrams(new.question);
  return new;
end
$$;
comment on function private.check_group_faq() is
  'On every FAQ write: who wrote it, at most 500 entries per group, the linked post must be published, and saving an edited entry clears its re-check flag.';
revoke execute on function private.check_group_faq() from public;

create trigger group_faqs_check before insert or update on public.group_faqs
  for each row execute function private.check_group_faq();
create trigger group_faqs_touch before update on public.group_faqs
  for each row execute function private.touch_updated_at();

create function private.flag_faqs_of_changed_post() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  update public.group_faqs f set needs_recheck = true
   where f.policy_post_id = new.id and not f.needs_recheck;
  return null;
end
$$;
comment on function private.flag_faqs_of_changed_post() is 'When a post''s content changes, the FAQ entries that rely on it are flagged for re-checking.';
revoke execute on function private.flag_faqs_of_changed_post() from public;

create trigger posts_flag_faqs after update of title, summary, body on public.posts
  for each row when (old.title is distinct from new.title or old.summary is distinct from new.summary or old.body is distinct from new.body)
  execute function private.flag_faqs_of_changed_post();

create function private.create_faq_from_question(p_question uuid, p_faq_question text, p_answer text, p_policy_post uuid)
returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_q public.group_questions := private.lock_question(p_question);
  v_answer text;
  v_id uuid;
begin
  perform private.require_question_butler(v_q, '加入常见问题');
  if v_q.status not in ('answered', 'accepted') then
    raise exception '只有已解答的问题可以加入常见问题' using errcode = '22023';
  end if;
  select r.body into v_answer from public.group_question_replies r where r.id = v_q.answer_reply_id;
  if char_length(btrim(coalesce(nullif(btrim(p_faq_question), ''), v_q.title))) > 200 then
    raise exception '常见问题最多200个字' using errcode = '22023';
  end if;
  if char_length(btrim(coalesce(nullif(btrim(p_answer), ''), v_answer, ''))) not between 1 and 4000 then
    raise exception '解答应为1到4000个字' using errcode = '22023';
  end if;
  insert into public.group_faqs (group_id, question, answer, source_question_id, policy_post_id)
  values (v_q.group_id, coalesce(nullif(btrim(p_faq_question), ''), v_q.title), coalesce(nullif(btrim(p_answer), ''), v_answer),
          v_q.id, p_policy_post)
  returning id into v_id;
  return v_id;
exception when unique_violation then
  raise exception '这个问题已经加入常见问题' using errcode = '23505';
end
$$;
comment on function private.create_faq_from_question(uuid, text, text, uuid) is
  'A butler of the group turns an answered question into an FAQ entry (question and answer editable, optional policy post); once per question.';
revoke execute on function private.create_faq_from_question(uuid, text, text, uuid) from public;
grant execute on function private.create_faq_from_question(uuid, text, text, uuid) to authenticated;

create function public.create_faq_from_question(
  question_id uuid, question text default null, answer text default null, policy_post_id uuid default null
) returns public.group_faqs
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.create_faq_from_question(question_id, question, answer, policy_post_id);
  v public.group_faqs;
begin
  select * into v from public.group_faqs f where f.id = v_id;
  return v;
end
$$;
comment on function public.create_faq_from_question(uuid, text, text, uuid) is
  '加入常见问题 (the group''s butlers): from an answered question; question defaults to its title, answer to the marked answer.';
revoke execute on function public.create_faq_from_question(uuid, text, text, uuid) from public, anon;

-- =====================================================================================================
-- suggestions while typing
-- =====================================================================================================
create function private.suggest_faq(p_group uuid, p_text text)
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
  -- The access rule, once: the group's members (and admins) read its FAQ and questions.
  if not (private.is_group_member(p_group) or private.is_admin()) then
    return;
  end if;
  v_terms := private.bigrams(p_text);
  if cardinality(v_terms) = 0 then
    return;
  end if;
  -- A short text must match whole (补贴 → 一次性创业补贴); a typed sentence needs a third of its pieces.
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
  'The suggestion query with its access rule checked once (a member of the group, or an admin; nothing for anyone else), so no row-level policy is evaluated per candidate row.';
revoke execute on function private.suggest_faq(uuid, text) from public;
grant execute on function private.suggest_faq(uuid, text) to authenticated;

create function public.suggest_faq(group_id uuid, q text)
returns table (kind text, id uuid, question text, answer text, matched integer)
language sql stable security invoker set search_path = ''
as $$ select * from private.suggest_faq(group_id, q) $$;
comment on function public.suggest_faq(uuid, text) is
  '类似问题 while a member types: up to 5 FAQ entries and answered questions of the group sharing two-character pieces with the text (a short text must match whole), best first. Members of the group (and admins) only: others get nothing.';
revoke execute on function public.suggest_faq(uuid, text) from public, anon;

-- =====================================================================================================
-- canned replies
-- =====================================================================================================
create table public.canned_replies (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid references public.profiles (id) on delete cascade,
  group_id uuid references public.groups (id) on delete cascade,
  title text not null check (char_length(btrim(title)) between 1 and 20),
  body text not null check (char_length(btrim(body)) between 1 and 1000),
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint canned_replies_personal_or_shared check ((owner_id is null) <> (group_id is null))
);
comment on table public.canned_replies is
  '常用回复 of butlers: personal (owner_id, seen by that butler only) or shared (group_id, seen and edited by the butlers of that group). Workers see none.';
create index canned_replies_owner_idx on public.canned_replies (owner_id, title);
create index canned_replies_group_idx on public.canned_replies (group_id, title);
create index canned_replies_created_by_idx on public.canned_replies (created_by);

create function private.can_use_canned_reply(p_owner uuid, p_group uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select case
    when p_owner is not null then p_owner = (select auth.uid()) and private.is_staff()
    else private.is_group_butler(p_group)
  end
$$;
comment on function private.can_use_canned_reply(uuid, uuid) is
  'Whose canned reply is it: a personal one its staff owner''s, a shared one the group''s butlers''.';
revoke execute on function private.can_use_canned_reply(uuid, uuid) from public;
grant execute on function private.can_use_canned_reply(uuid, uuid) to authenticated, service_role;

alter table public.canned_replies enable row level security;
revoke all on public.canned_replies from anon, authenticated;
grant select, delete on public.canned_replies to authenticated;
grant insert (owner_id, group_id, title, body), update (title, body) on public.canned_replies to authenticated;

create policy "butlers read their own and their groups' canned replies" on public.canned_replies
  for select to authenticated using (private.can_use_canned_reply(owner_id, group_id));
create policy "butlers add canned replies" on public.canned_replies
  for insert to authenticated with check (private.can_use_canned_reply(owner_id, group_id));
create policy "butlers edit canned replies" on public.canned_replies
  for update to authenticated using (private.can_use_canned_reply(owner_id, group_id))
  with check (private.can_use_canned_reply(owner_id, group_id));
create policy "butlers remove canned replies" on public.canned_replies
  for delete to authenticated using (private.can_use_canned_reply(owner_id, group_id));

create function private.check_canned_reply() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  new.created_by := coalesce((select auth.uid()), new.created_by);
  if (select count(*) from public.canned_replies c
       where (new.owner_id is not null and c.owner_id = new.owner_id)
          or (new.group_id is not null and c.group_id = new.group_id)) >= 200 then
    raise exception '常用回复最多200条' using errcode = 'P0001';
  end if;
  return new;
end
$$;
comment on function private.check_canned_reply() is 'Stamps the writer and keeps at most 200 canned replies per butler and per group.';
revoke execute on function private.check_canned_reply() from public;

create trigger canned_replies_check before insert on public.canned_replies
  for each row execute function private.check_canned_reply();
create trigger canned_replies_touch before update on public.canned_replies
  for each row execute function private.touch_updated_at();
