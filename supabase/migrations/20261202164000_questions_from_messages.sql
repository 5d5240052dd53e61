-- A butler turns a member's chat message into a question (转为提问), so a question typed into the chat
-- is not lost: the sender becomes the asker, the question gets its owner and due time like any other,
-- and the message keeps a link to it. One question per message; converting again (a retry, or two
-- butlers at once) answers with the same question.

alter table public.group_questions add constraint group_questions_source_message_fkey
  foreign key (source_message_id) references public.group_messages (id) on delete set null;

create function private.convert_message_to_question(p_message uuid, p_title text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_msg public.group_messages;
  v_title text;
  v_id uuid;
  v_q public.group_questions;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v_msg from public.group_messages m where m.id = p_message;
  if v_msg.id is null or not private.is_group_member(v_msg.group_id) then
    raise exception '找不到这条消息' using errcode = 'P0002';
  end if;
  if not private.is_group_butler(v_msg.group_id) then
    raise exception '只有本群的创业管家可以把消息转为提问' using errcode = '42501';
  end if;
  select q.id into v_id from public.group_questions q where q.source_message_id = p_message;
  if v_id is not null then
    return v_id;
  end if;
  if v_msg.status <> 'published' or v_msg.withdrawn_at is not null then
    raise exception '只有已发出、未撤回的消息可以转为提问' using errcode = '22023';
  end if;
  if v_msg.sender_id in (select private.group_butler_ids(v_msg.group_id)) then
    raise exception '创业管家的消息不能转为提问' using errcode = '22023';
  end if;
  if not exists (select 1 from public.group_members m where m.group_id = v_msg.group_id and m.user_id = v_msg.sender_id) then
    raise exception '发消息的人已不在本群，不能转为提问' using errcode = '22023';
  end if;
  v_title := coalesce(nullif(btrim(p_title), ''), nullif(left(btrim(split_part(v_msg.body, E'\n', 1)), 80), ''));
  if v_title is null then
    raise exception '请为这条语音或图片消息写一个问题标题' using errcode = '22023';
  end if;
  perform private.check_question_text(v_title, v_msg.body);
  begin
    v_q := private.open_question(v_msg.group_id, v_msg.sender_id, v_title, v_msg.body, v_msg.id);
  exception when unique_violation then
    -- Another butler converted it a moment ago: theirs is the question.
    select q.id into v_id from public.group_questions q where q.source_message_id = p_message;
    return v_id;
  end;
  perform private.notify(
    v_msg.sender_id, 'question_from_message', left('您的消息已转为提问：' || v_q.title, 40),
    '创业管家已把您在群里的提问登记下来，答复后会通知您。',
    private.question_link(v_q.id), jsonb_build_object('question_id', v_q.id, 'message_id', v_msg.id),
    'question_from_message:' || v_q.id);
  return v_q.id;
end
$$;
comment on function private.convert_message_to_question(uuid, text) is
  'A butler of the group turns a published member message into a question asked by its sender (title: the given one, or the message''s first line); once per message.';
revoke execute on function private.convert_message_to_question(uuid, text) from public;
grant execute on function private.convert_message_to_question(uuid, text) to authenticated;

create function public.convert_message_to_question(message_id uuid, title text default null) returns public.group_questions
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.convert_message_to_question(message_id, title);
  v public.group_questions;
begin
  select * into v from public.group_questions q where q.id = v_id;
  return v;
end
$$;
comment on function public.convert_message_to_question(uuid, text) is
  '转为提问 (the group''s butlers): a member''s chat message becomes their question; converting again answers with the same question.';
revoke execute on function public.convert_message_to_question(uuid, text) from public, anon;
