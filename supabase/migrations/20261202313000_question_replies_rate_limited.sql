-- Attack round 2 (tests/db/attack-round2.test.ts): the asker's follow-ups (追问 through reply_to_question)
-- had no limit. Each one is a row every member reads and a notification in the owner's message centre,
-- so one person could write thousands a minute (chat messages are held to 30 a minute, questions to 30 a
-- day). Replies are now held to 20 a minute per person, butlers included (far above any real answering).

create index group_question_replies_author_recent_idx on public.group_question_replies (author_id, created_at);
drop index public.group_question_replies_author_idx;

create or replace function private.reply_to_question(p_question uuid, p_body text, p_as_answer boolean) returns uuid
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
  if (select count(*) from public.group_question_replies r
       where r.author_id = v_me and r.created_at > now() - interval '1 minute') >= 20 then
    raise exception '回复太频繁，请稍后再试' using errcode = 'P0001';
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
  'A butler of the group or the asker replies to an open or answered question (at most 20 replies a minute per person); a butler''s first reply is the first-answer time, and with p_as_answer it is marked the answer at once.';

revoke execute on all functions in schema private from public;
