-- Fix: two publishes of the same draft at once could both succeed (tests/db/posts.test.ts, "two
-- publishes of the same post at once", failed on PostgreSQL once the policy helpers became PL/pgSQL and
-- the first call on a fresh connection took a little longer).
--
-- change_post_state locks the post, then asks whether it is already visible: published_at <= now(). But
-- now() is the time the transaction began. When the transaction that began second takes the lock first,
-- it publishes with its own, later now(); the other one then reads a published_at after its own now(),
-- takes the post for a scheduled one and publishes it again. The check now compares with the clock after
-- the lock (clock_timestamp(), never earlier than now()), so a post published by the other transaction is
-- seen as published. Everything else is as in 20261202201000.

create or replace function private.change_post_state(p_post uuid, p_action text, p_at timestamptz, p_pinned boolean) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.posts := private.locked_post_to_manage(p_post);
  -- after the lock: the clock, not the transaction's start (see above)
  v_visible boolean := v_row.status = 'published' and v_row.published_at <= clock_timestamp();
  v_at timestamptz;
begin
  case p_action
  when 'publish' then
    if v_row.archived_at is not null then
      raise exception '这篇资讯已归档，不能再发布' using errcode = 'P0001', hint = 'archived';
    end if;
    if v_visible then
      raise exception '这篇资讯已经发布了' using errcode = 'P0001', hint = 'already_published';
    end if;
    if p_at is not null and p_at < now() - interval '5 minutes' then
      raise exception '定时发布的时间已经过去，请重新选择' using errcode = '22023', hint = 'at_in_past';
    end if;
    if p_at > now() + interval '1 year' then
      raise exception '定时发布的时间最多为一年以内' using errcode = '22023', hint = 'at_too_far';
    end if;
    if btrim(v_row.title) = '' or (btrim(v_row.summary) = '' and btrim(v_row.body) = '') then
      raise exception '请先填写标题和摘要或正文，再发布' using errcode = '22023', hint = 'empty';
    end if;
    v_at := greatest(coalesce(p_at, now()), now());
    update public.posts p set status = 'published', published_at = v_at where p.id = p_post;
  when 'unpublish' then
    if v_row.status <> 'published' then
      raise exception '这篇资讯还没有发布' using errcode = 'P0001', hint = 'not_published';
    end if;
    update public.posts p set status = 'draft', published_at = null, pinned = false, archived_at = null where p.id = p_post;
  when 'archive' then
    if not v_visible then
      raise exception '只有已发布的资讯可以归档' using errcode = 'P0001', hint = 'not_published';
    end if;
    if v_row.archived_at is not null then
      raise exception '这篇资讯已经归档了' using errcode = 'P0001', hint = 'already_archived';
    end if;
    update public.posts p set archived_at = now(), pinned = false where p.id = p_post;
  when 'pin' then
    if p_pinned is null then
      raise exception '请说明置顶还是取消置顶' using errcode = '22023';
    end if;
    if p_pinned and (v_row.status <> 'published' or v_row.archived_at is not null) then
      raise exception '只有已发布（或定时发布）且未归档的资讯可以置顶' using errcode = 'P0001', hint = 'not_published';
    end if;
    update public.posts p set pinned = p_pinned where p.id = p_post and p.pinned is distinct from p_pinned;
  end case;
  return p_post;
end
$$;
comment on function private.change_post_state(uuid, text, timestamptz, boolean) is
  'The checked transitions of a post: publish (now, or at a later time within a year; not when already visible or archived), unpublish (back to draft, unpinned), archive (visible posts), pin (published, not archived).';
revoke execute on function private.change_post_state(uuid, text, timestamptz, boolean) from public;
