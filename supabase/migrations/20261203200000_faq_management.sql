-- FAQ management for a group's butlers (管家工作台 → 常见问题): edit an entry (question, answer, the policy
-- post it relies on), remove one, and clear the 需复核 flag after checking an entry whose linked policy was
-- revised. The mini-program cannot send PATCH, so each write is an RPC; each checks who asks and answers
-- in Chinese (the table's own checks would answer in English).

-- =====================================================================================================
-- the entry, locked, for someone who may manage it
-- =====================================================================================================
create function private.lock_faq_to_manage(p_faq uuid, p_action text) returns public.group_faqs
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.group_faqs;
begin
  if (select auth.uid()) is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select * into v from public.group_faqs f where f.id = p_faq for update;
  -- Someone outside the group cannot tell another group's entry from a missing one.
  if v.id is null or not (private.is_group_member(v.group_id) or private.is_admin()) then
    raise exception '找不到这条常见问题' using errcode = 'P0002';
  end if;
  if not private.can_manage_group(v.group_id) then
    raise exception '只有本群的创业管家可以%', p_action using errcode = '42501';
  end if;
  return v;
end
$$;
comment on function private.lock_faq_to_manage(uuid, text) is
  'The FAQ entry, locked for the rest of the transaction, for a butler of its group or an admin: P0002 for an entry the caller cannot see, 42501 for a member who may only read it.';

-- =====================================================================================================
-- 编辑
-- =====================================================================================================
create function private.update_group_faq(p_faq uuid, p_question text, p_answer text, p_policy_post uuid) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.group_faqs := private.lock_faq_to_manage(p_faq, '编辑常见问题');
begin
  if char_length(btrim(coalesce(p_question, ''))) not between 1 and 200 then
    raise exception '问题应为1到200个字' using errcode = '22023', hint = 'question';
  end if;
  if char_length(btrim(coalesce(p_answer, ''))) not between 1 and 4000 then
    raise exception '解答应为1到4000个字' using errcode = '22023', hint = 'answer';
  end if;
  -- A newly linked post must be a live published policy; an already linked one may stay when it is
  -- archived later (the entry is still about it).
  if p_policy_post is not null and p_policy_post is distinct from v.policy_post_id
     and not exists (select 1 from public.posts p
                      where p.id = p_policy_post and p.kind = 'policy' and p.status = 'published'
                        and p.published_at <= now() and p.archived_at is null) then
    raise exception '只能关联已发布的政策' using errcode = '22023', hint = 'policy_post_id';
  end if;
  update public.group_faqs f
     set question = btrim(p_question), answer = btrim(p_answer), policy_post_id = p_policy_post
   where f.id = v.id;
  return v.id;
end
$$;
comment on function private.update_group_faq(uuid, text, text, uuid) is
  'A butler of the group (or an admin) rewrites an FAQ entry and its linked policy (a live published policy, or none). Saving a changed text of a flagged entry also clears 需复核 (check_group_faq).';

create function public.update_group_faq(faq_id uuid, question text, answer text, policy_post_id uuid default null)
returns public.group_faqs
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.update_group_faq(faq_id, question, answer, policy_post_id);
  v public.group_faqs;
begin
  select * into v from public.group_faqs f where f.id = v_id;
  return v;
end
$$;
comment on function public.update_group_faq(uuid, text, text, uuid) is
  '编辑常见问题 (the group''s butlers and admins): question (1–200), answer (1–4000), linked policy (null: none).';

-- =====================================================================================================
-- 已复核
-- =====================================================================================================
create function private.mark_faq_rechecked(p_faq uuid) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.group_faqs := private.lock_faq_to_manage(p_faq, '复核常见问题');
begin
  if v.needs_recheck then
    update public.group_faqs f set needs_recheck = false where f.id = v.id;
  end if;
  return v.id;
end
$$;
comment on function private.mark_faq_rechecked(uuid) is
  'A butler of the group (or an admin) has checked an entry against its revised policy: clears needs_recheck (again: nothing changes).';

create function public.mark_faq_rechecked(faq_id uuid) returns public.group_faqs
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_id uuid := private.mark_faq_rechecked(faq_id);
  v public.group_faqs;
begin
  select * into v from public.group_faqs f where f.id = v_id;
  return v;
end
$$;
comment on function public.mark_faq_rechecked(uuid) is '已复核 (the group''s butlers and admins): the entry still holds after its policy was revised.';

-- =====================================================================================================
-- 删除
-- =====================================================================================================
create function private.delete_group_faq(p_faq uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v public.group_faqs := private.lock_faq_to_manage(p_faq, '删除常见问题');
begin
  delete from public.group_faqs f where f.id = v.id;
end
$$;
comment on function private.delete_group_faq(uuid) is
  'A butler of the group (or an admin) removes an FAQ entry; the question it came from may be turned into an entry again.';

create function public.delete_group_faq(faq_id uuid) returns void
language sql volatile security invoker set search_path = ''
as $$ select private.delete_group_faq(faq_id) $$;
comment on function public.delete_group_faq(uuid) is
  '删除常见问题 (the group''s butlers and admins), with a Chinese answer where a plain DELETE would silently remove nothing.';

-- =====================================================================================================
-- grants: the private steps to the callers of the public wrappers only
-- =====================================================================================================
revoke execute on function private.lock_faq_to_manage(uuid, text), private.update_group_faq(uuid, text, text, uuid),
  private.mark_faq_rechecked(uuid), private.delete_group_faq(uuid) from public;
grant execute on function private.update_group_faq(uuid, text, text, uuid), private.mark_faq_rechecked(uuid),
  private.delete_group_faq(uuid) to authenticated;
revoke execute on function public.update_group_faq(uuid, text, text, uuid), public.mark_faq_rechecked(uuid),
  public.delete_group_faq(uuid) from public, anon;
grant execute on function public.update_group_faq(uuid, text, text, uuid), public.mark_faq_rechecked(uuid),
  public.delete_group_faq(uuid) to authenticated;
