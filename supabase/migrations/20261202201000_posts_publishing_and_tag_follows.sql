-- Writing and managing posts through RPCs with checked transitions, following tags, and telling
-- followers about a new post once.
--
-- States of a post:      draft ──publish_post(at)──▶ published (scheduled while published_at is ahead)
--                          ▲                             │  set_post_pinned, archive_post (archived_at)
--                          └──────── unpublish_post ─────┘
-- save_post writes content (create a draft, or edit a draft or published post; edits of a visible post
-- keep a revision through the write trigger). Staff only; a butler manages their own posts, an admin any
-- post; the author never changes. Every refusal answers in Chinese with a precise SQLSTATE.
--
-- Followers: a person follows tags (tag_follows). When a post becomes visible (published now, or its
-- scheduled time comes: release_scheduled_posts, run every minute by pg_cron in production and by the
-- local scheduler), each follower of any of its tags who may see it (its region) gets one notification,
-- dedupe key post_followed:<post>:<person>: once per follower per post, also when the post is unpublished
-- and published again, and when two publishes race.

-- =====================================================================================================
-- push templates these notifications use (see 20261201103000)
-- =====================================================================================================
insert into private.push_templates (key, label) values
  ('post_followed', '关注内容更新提醒'),
  ('project_lead', '项目意向登记提醒')
on conflict (key) do nothing;

-- =====================================================================================================
-- tag follows
-- =====================================================================================================
create table public.tag_follows (
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  tag text not null check (tag ~ '^[^\s,，;；#]{1,10}$'),
  created_at timestamptz not null default now(),
  primary key (user_id, tag)
);
comment on table public.tag_follows is
  'Tags a person follows (关注): a newly visible post with one of them notifies the person once. Written through follow_tag / unfollow_tag.';
create index tag_follows_tag_idx on public.tag_follows (tag, user_id);

alter table public.tag_follows enable row level security;
revoke all on public.tag_follows from anon, authenticated;
grant select on public.tag_follows to authenticated;

create policy "people read the tags they follow" on public.tag_follows
  for select to authenticated using (user_id = (select auth.uid()));

create function private.follow_tag(p_tag text, p_follow boolean) returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  v_tag text := btrim(coalesce(p_tag, ''));
begin
  if v_user is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if v_tag !~ '^[^\s,，;；#]{1,10}$' then
    raise exception '标签为1到10个字，不含空格、逗号和#' using errcode = '22023', hint = 'tag';
  end if;
  if not p_follow then
    delete from public.tag_follows f where f.user_id = v_user and f.tag = v_tag;
    return false;
  end if;
  -- one person's follows are serialized, so the cap holds under concurrent calls
  perform 1 from public.profiles p where p.id = v_user for update;
  if (select count(*) from public.tag_follows f where f.user_id = v_user and f.tag <> v_tag) >= 30 then
    raise exception '最多关注30个标签' using errcode = '22023', hint = 'too_many_follows';
  end if;
  insert into public.tag_follows (user_id, tag) values (v_user, v_tag) on conflict do nothing;
  return true;
end
$$;
comment on function private.follow_tag(text, boolean) is 'Follows (or unfollows) a tag for the caller; at most 30 tags; repeating a call changes nothing.';
revoke execute on function private.follow_tag(text, boolean) from public;
grant execute on function private.follow_tag(text, boolean) to authenticated;

create function public.follow_tag(tag text) returns boolean
language sql volatile security invoker set search_path = ''
as $$ select private.follow_tag(tag, true) $$;
comment on function public.follow_tag(text) is '关注 a tag (补贴, 贷款, …) for the caller. Returns true.';
revoke execute on function public.follow_tag(text) from public, anon;

create function public.unfollow_tag(tag text) returns boolean
language sql volatile security invoker set search_path = ''
as $$ select private.follow_tag(tag, false) $$;
comment on function public.unfollow_tag(text) is '取消关注 a tag for the caller. Returns false.';
revoke execute on function public.unfollow_tag(text) from public, anon;

-- =====================================================================================================
-- announcing a post to its followers, once
-- =====================================================================================================
create table private.post_announcements (
  post_id uuid primary key references public.posts (id) on delete cascade,
  due_at timestamptz not null,
  announced_at timestamptz
);
comment on table private.post_announcements is
  'One row per published post: when it becomes visible (due_at) and when its followers were told (announced_at). Removed when the post is unpublished; the notifications'' dedupe keys keep a republish from telling anyone twice.';
create index post_announcements_due_idx on private.post_announcements (due_at) where announced_at is null;
revoke all on private.post_announcements from public, anon, authenticated, service_role;

create function private.post_link(post uuid) returns text
language sql immutable set search_path = ''
as $$ select '/subpackages/posts/pages/detail/index?id=' || post::text $$;
comment on function private.post_link(uuid) is 'Where a notification about a post leads (the detail page).';

create function private.announce_post(post uuid) returns integer
language plpgsql security definer set search_path = ''
as $$
declare
  v_post public.posts;
  v_count integer;
begin
  -- The announcement row is the lock: two transactions announcing the same post take turns.
  update private.post_announcements a set announced_at = now()
   where a.post_id = post and a.announced_at is null and a.due_at <= now();
  if not found then
    return 0;
  end if;
  select * into v_post from public.posts p where p.id = post;
  if v_post.id is null or v_post.status <> 'published' or v_post.published_at > now() or v_post.archived_at is not null then
    return 0;
  end if;
  select count(private.notify(
           f.user_id,
           'post_followed',
           left('您关注的“' || f.tag || '”有新' ||
                case v_post.kind when 'policy' then '政策' when 'project' then '创业项目'
                                 when 'story' then '创业典型' else '通知' end, 40),
           left(v_post.title, 200),
           private.post_link(v_post.id),
           jsonb_build_object('post_id', v_post.id, 'tag', f.tag, 'kind', v_post.kind),
           'post_followed:' || v_post.id || ':' || f.user_id,
           'post_followed'))
    into v_count
    from (select distinct on (tf.user_id) tf.user_id, tf.tag
            from public.tag_follows tf
            join public.profiles pr on pr.id = tf.user_id
           where tf.tag = any (v_post.tags)
             and tf.user_id <> v_post.author_id
             and (pr.role in ('butler', 'admin') or v_post.region = any (private.regions_of(pr.district)))
           order by tf.user_id, array_position(v_post.tags, tf.tag)) f;
  return v_count;
end
$$;
comment on function private.announce_post(uuid) is
  'Tells each follower of the post''s tags who may see it (region) about a newly visible post, once: the announcement row is claimed first and every notification has the dedupe key post_followed:<post>:<person>. Returns how many were asked to be notified.';

create function private.post_announcement_rules() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.status = 'published' and new.archived_at is null
     and (tg_op = 'INSERT' or old.status <> 'published' or old.published_at is distinct from new.published_at) then
    insert into private.post_announcements (post_id, due_at) values (new.id, new.published_at)
    on conflict (post_id) do update set due_at = excluded.due_at, announced_at = null
      where private.post_announcements.announced_at is null;
    if new.published_at <= now() then
      perform private.announce_post(new.id);
    end if;
  elsif tg_op = 'UPDATE' and new.status = 'draft' and old.status = 'published' then
    delete from private.post_announcements a where a.post_id = new.id;
  end if;
  return null;
end
$$;
comment on function private.post_announcement_rules() is
  'After a post is published (now or for later) it gets its announcement row, and is announced at once when visible; unpublishing removes the row.';

create trigger posts_announce after insert or update of status, published_at, archived_at on public.posts
  for each row execute function private.post_announcement_rules();

-- Posts already published are not news any more.
insert into private.post_announcements (post_id, due_at, announced_at)
select p.id, p.published_at, case when p.published_at <= now() then now() end
  from public.posts p where p.status = 'published'
on conflict do nothing;

create function public.release_scheduled_posts() returns integer
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_post uuid;
  v_total integer := 0;
begin
  for v_post in
    select a.post_id from private.post_announcements a
     where a.announced_at is null and a.due_at <= now()
     order by a.due_at
     limit 200
     for update skip locked
  loop
    v_total := v_total + private.announce_post(v_post);
  end loop;
  return v_total;
end
$$;
comment on function public.release_scheduled_posts() is
  'Announces scheduled posts whose time has come (up to 200 a call). Run every minute by pg_cron in production, by the local scheduler locally; service role only. Returns how many notifications were asked for.';
revoke execute on function public.release_scheduled_posts() from public, anon, authenticated;
grant execute on function public.release_scheduled_posts() to service_role;
grant select, update on private.post_announcements to service_role;
grant execute on function private.announce_post(uuid) to service_role;

-- =====================================================================================================
-- writing: save_post
-- =====================================================================================================
create function private.save_post(p_post jsonb) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  v_id uuid;
  v_key text;
  v_old public.posts;
  v_new public.posts;
begin
  if v_user is null or not private.is_staff() then
    raise exception '只有创业管家和管理员可以编写资讯' using errcode = '42501', hint = 'staff_only';
  end if;
  if p_post is null or jsonb_typeof(p_post) <> 'object' then
    raise exception '资讯内容格式不正确' using errcode = '22023', hint = 'not_an_object';
  end if;
  select k into v_key from jsonb_object_keys(p_post) k
   where k not in ('id', 'kind', 'title', 'summary', 'body', 'body_doc', 'tags', 'region', 'cover_path', 'issuer',
                   'doc_number', 'effective_from', 'effective_to', 'investment_min', 'investment_max', 'skills', 'contact')
   limit 1;
  if v_key is not null then
    raise exception '保存资讯时不能修改字段 %（发布、置顶、归档请用对应的操作）', v_key using errcode = '22023', hint = 'field_not_saved';
  end if;
  if p_post ? 'id' and jsonb_typeof(p_post -> 'id') <> 'null' then
    begin
      v_id := (p_post ->> 'id')::uuid;
    exception when invalid_text_representation then
      raise exception '找不到这篇资讯' using errcode = 'P0002';
    end;
    select * into v_old from public.posts p where p.id = v_id for update;
    if v_old.id is null or not (v_old.author_id = v_user or private.is_admin()
                                or private.is_public_post(v_old.status, v_old.published_at)) then
      raise exception '找不到这篇资讯' using errcode = 'P0002';
    end if;
    if v_old.author_id <> v_user and not private.is_admin() then
      raise exception '只能修改自己发布的资讯' using errcode = '42501', hint = 'not_author';
    end if;
  end if;

  begin
    v_new := jsonb_populate_record(coalesce(v_old, null::public.posts), p_post - 'id');
  exception when invalid_text_representation or invalid_datetime_format or datetime_field_overflow
                 or numeric_value_out_of_range or invalid_parameter_value or data_exception then
    raise exception '资讯内容中有格式不正确的字段（日期、金额或类型）' using errcode = '22023', hint = 'bad_value';
  end;

  if char_length(btrim(coalesce(v_new.title, ''))) not between 1 and 80 then
    raise exception '标题不能为空，最多80个字' using errcode = '22023', hint = 'title';
  end if;
  if v_old.id is null then
    if v_new.kind is null then
      raise exception '请选择资讯类型（政策、创业项目、创业典型或通知）' using errcode = '22023', hint = 'kind';
    end if;
    insert into public.posts (kind, title, summary, body, body_doc, tags, region, cover_path, issuer, doc_number,
                              effective_from, effective_to, investment_min, investment_max, skills, contact,
                              status, author_id)
    values (v_new.kind, btrim(v_new.title), coalesce(v_new.summary, ''), coalesce(v_new.body, ''),
            coalesce(v_new.body_doc, '[]'), coalesce(v_new.tags, '{}'), coalesce(v_new.region, '全市'),
            v_new.cover_path, v_new.issuer, v_new.doc_number, v_new.effective_from, v_new.effective_to,
            v_new.investment_min, v_new.investment_max, v_new.skills, v_new.contact, 'draft', v_user)
    returning id into v_id;
  else
    -- Plain text alone replaces the body; otherwise body_doc decides (the trigger keeps both in step).
    if p_post ? 'body' and not p_post ? 'body_doc' then
      v_new.body_doc := private.post_doc_from_text(v_new.body);
    end if;
    update public.posts p
       set kind = coalesce(v_new.kind, p.kind), title = btrim(v_new.title), summary = coalesce(v_new.summary, ''),
           body_doc = coalesce(v_new.body_doc, '[]'), tags = coalesce(v_new.tags, '{}'),
           region = coalesce(v_new.region, '全市'), cover_path = v_new.cover_path, issuer = v_new.issuer,
           doc_number = v_new.doc_number, effective_from = v_new.effective_from, effective_to = v_new.effective_to,
           investment_min = v_new.investment_min, investment_max = v_new.investment_max, skills = v_new.skills,
           contact = v_new.contact
     where p.id = v_id;
  end if;
  return v_id;
end
$$;
comment on function private.save_post(jsonb) is
  'Creates a draft (no id) or changes the content of a post (id): staff only, a butler their own posts, an admin any; only content fields, never status, pin, dates of publication, archive or author.';
revoke execute on function private.save_post(jsonb) from public;
grant execute on function private.save_post(jsonb) to authenticated;

create function public.save_post(post jsonb) returns public.posts
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_row public.posts;
  v_id uuid;
begin
  v_id := private.save_post(post); -- once, before the read (a volatile call in WHERE would run per row)
  select * into v_row from public.posts p where p.id = v_id;
  return v_row;
end
$$;
comment on function public.save_post(jsonb) is
  '保存资讯: {kind, title, summary, body_doc, tags, region, cover_path, issuer, doc_number, effective_from, effective_to, investment_min, investment_max, skills, contact}, with id to edit (fields left out stay), without to create a draft. Returns the post.';
revoke execute on function public.save_post(jsonb) from public, anon;

-- =====================================================================================================
-- state changes: publish (now or scheduled), unpublish, archive, pin
-- =====================================================================================================
create function private.locked_post_to_manage(p_post uuid) returns public.posts
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.posts;
  v_id uuid;
begin
  if (select auth.uid()) is null or not private.is_staff() then
    raise exception '只有创业管家和管理员可以管理资讯' using errcode = '42501', hint = 'staff_only';
  end if;
  select * into v_row from public.posts p where p.id = p_post for update;
  if v_row.id is null or not (v_row.author_id = (select auth.uid()) or private.is_admin()
                              or private.is_public_post(v_row.status, v_row.published_at)) then
    raise exception '找不到这篇资讯' using errcode = 'P0002';
  end if;
  if v_row.author_id <> (select auth.uid()) and not private.is_admin() then
    raise exception '只能管理自己发布的资讯' using errcode = '42501', hint = 'not_author';
  end if;
  return v_row;
end
$$;
comment on function private.locked_post_to_manage(uuid) is
  'The post, locked for a state change by the caller, or the refusal: not staff (42501), not found or hidden (P0002, alike), someone else''s post for a butler (42501).';
revoke execute on function private.locked_post_to_manage(uuid) from public;

create function private.change_post_state(p_post uuid, p_action text, p_at timestamptz, p_pinned boolean) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.posts := private.locked_post_to_manage(p_post);
  v_visible boolean := v_row.status = 'published' and v_row.published_at <= now();
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
grant execute on function private.change_post_state(uuid, text, timestamptz, boolean) to authenticated;

create function public.publish_post(post_id uuid, "at" timestamptz default null) returns public.posts
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_row public.posts;
  v_id uuid;
begin
  v_id := private.change_post_state(post_id, 'publish', "at", null);
  select * into v_row from public.posts p where p.id = v_id;
  return v_row;
end
$$;
comment on function public.publish_post(uuid, timestamptz) is
  '发布 now, or 定时发布 at a later time (within a year); a scheduled post may be given a new time. Followers of its tags are notified when it becomes visible.';
revoke execute on function public.publish_post(uuid, timestamptz) from public, anon;

create function public.unpublish_post(post_id uuid) returns public.posts
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_row public.posts;
  v_id uuid;
begin
  v_id := private.change_post_state(post_id, 'unpublish', null, null);
  select * into v_row from public.posts p where p.id = v_id;
  return v_row;
end
$$;
comment on function public.unpublish_post(uuid) is '撤回: a published, scheduled or archived post back to draft (unpinned).';
revoke execute on function public.unpublish_post(uuid) from public, anon;

create function public.archive_post(post_id uuid) returns public.posts
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_row public.posts;
  v_id uuid;
begin
  v_id := private.change_post_state(post_id, 'archive', null, null);
  select * into v_row from public.posts p where p.id = v_id;
  return v_row;
end
$$;
comment on function public.archive_post(uuid) is '归档: a visible post leaves the feed and search; its link and bookmarks still open it.';
revoke execute on function public.archive_post(uuid) from public, anon;

create function public.set_post_pinned(post_id uuid, pinned boolean) returns public.posts
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_row public.posts;
  v_id uuid;
begin
  v_id := private.change_post_state(post_id, 'pin', null, pinned);
  select * into v_row from public.posts p where p.id = v_id;
  return v_row;
end
$$;
comment on function public.set_post_pinned(uuid, boolean) is '置顶 / 取消置顶 a published (or scheduled) post that is not archived.';
revoke execute on function public.set_post_pinned(uuid, boolean) from public, anon;

-- =====================================================================================================
-- pg_cron (production): release scheduled posts every minute; nothing where pg_cron cannot run
-- =====================================================================================================
do $do$
begin
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    raise notice 'pg_cron is not enabled: release-scheduled-posts is not scheduled in this database (the local scheduler runs it)';
    return;
  end if;
  perform cron.schedule('release-scheduled-posts', '* * * * *', 'select public.release_scheduled_posts()');
end
$do$;

revoke execute on all functions in schema private from public;
