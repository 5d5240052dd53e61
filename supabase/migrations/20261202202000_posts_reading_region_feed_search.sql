-- Reading posts: who sees what (region), the feed with filters and cursor paging, search that finds
-- Chinese substrings, bookmarks, and read counts.
--
-- Who sees a post:
--   anon                 visible (published, time come) posts for 全市
--   a worker             visible posts for 全市, their district and their street (profiles.district)
--   staff                every visible post, whatever its region
--   the author           their own posts in any state
--   admins               every post in any state (drafts and scheduled ones of everyone)
-- Archived posts stay readable by id (a link, a bookmark) and leave the feed and search.
--
-- Search: PGlite has no pg_trgm, so the index is our own: a GIN index over the distinct characters and
-- two-character pieces (bigrams) of title, summary and body, lower-cased. A query's pieces must all
-- be present (index), then the text must contain the query itself (exact substring, so 担保 finds
-- 创业担保贷款贴息 and 保贷 does too, but 担贷 does not). Works alike on PGlite and PostgreSQL.
-- Two ways to a page of 50 hits, newest first (search_post_hits): the newest 500 posts the caller may read,
-- checked one by one (cheap for common words, tried first for one or two characters and for phrases
-- with more than 1,000 candidates), or the index's candidates read by id (rarer words). Either way the
-- caller's policies decide what is read; the index itself is read with the owner's rights, ids only,
-- because its operator is not leakproof and row-level security would otherwise keep it unused.

-- =====================================================================================================
-- regions of the caller
-- =====================================================================================================
create function private.my_regions() returns text[]
language sql stable security definer set search_path = ''
as $$
  select case
    when (select auth.uid()) is null then array['全市']
    else coalesce((select private.regions_of(p.district) from public.profiles p where p.id = (select auth.uid())), array['全市'])
  end
$$;
comment on function private.my_regions() is 'The post regions the caller sees as a reader (private.regions_of their district; 全市 for anon).';
revoke execute on function private.my_regions() from public;
grant execute on function private.my_regions() to anon, authenticated, service_role;

-- =====================================================================================================
-- posts: who reads what
-- =====================================================================================================
drop policy "anyone reads visible posts" on public.posts;
drop policy "people read visible posts and their own" on public.posts;

create policy "anyone reads visible posts for the whole city" on public.posts
  for select to anon using (private.is_public_post(status, published_at) and region = '全市');
create policy "people read visible posts of their region, staff all, authors and admins every state" on public.posts
  for select to authenticated using (
    (private.is_public_post(status, published_at)
      and (region = any ((select private.my_regions())::text[]) or (select private.is_staff())))
    or author_id = (select auth.uid())
    or (select private.is_admin()));

-- The rule for one post (bookmarks, reads): the same as the policy above.
create or replace function private.can_see_post(post uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.posts p
     where p.id = post
       and ((private.is_public_post(p.status, p.published_at)
              and (p.region = any (private.my_regions()) or private.is_staff()))
            or p.author_id = (select auth.uid())
            or private.is_admin())
  )
$$;
comment on function private.can_see_post(uuid) is
  'True when the caller can see the post (as the posts select policy decides: visible and of their region, staff any region, their own, admins all). False for an id that matches no post, so hidden and unknown posts cannot be told apart.';

-- Authors' names beside posts: only posts readable by someone without rights (visible ones).
-- (private.has_published_posts is unchanged: a visible post of any region shows its author's name.)

-- =====================================================================================================
-- the home feed: filters and a cursor, still inlinable
-- =====================================================================================================
drop function public.feed_posts();

create function public.feed_posts(
  kind public.post_kind default null,
  tag text default null,
  after_pinned boolean default null,
  after_published_at timestamptz default null,
  after_id uuid default null
) returns setof public.posts
language sql stable security invoker
as $$
  select p.*
    from public.posts p
   where private.is_public_post(p.status, p.published_at)
     and p.archived_at is null
     and (feed_posts.kind is null or p.kind operator(pg_catalog.=) feed_posts.kind)
     and (feed_posts.tag is null or p.tags operator(pg_catalog.@>) array[feed_posts.tag])
     and (feed_posts.after_id is null
          or (p.pinned, p.published_at, p.id) operator(pg_catalog.<)
             (feed_posts.after_pinned, feed_posts.after_published_at, feed_posts.after_id))
   order by p.pinned desc, p.published_at desc, p.id desc
$$;
comment on function public.feed_posts(public.post_kind, text, boolean, timestamptz, uuid) is
  'Inlined: no search_path so the planner inlines it (security invoker, every name schema-qualified). The home feed (首页): visible, not archived posts the caller may read (their region, by row-level security), pinned first, then newest first; optionally one kind and one tag. Next page: pass the last row''s pinned, published_at and id as after_pinned, after_published_at, after_id. Embed the author''s name with select(''…, author:profiles!author_id(display_name)'').';
revoke execute on function public.feed_posts(public.post_kind, text, boolean, timestamptz, uuid) from public;
grant execute on function public.feed_posts(public.post_kind, text, boolean, timestamptz, uuid) to anon, authenticated, service_role;

-- The feed's order, whole, in one index (read backwards): no sort, and the cursor is an index condition.
create index posts_feed_page_idx on public.posts (pinned, published_at, id)
  where status = 'published' and archived_at is null;
drop index public.posts_feed_order_idx;
comment on index public.posts_feed_page_idx is 'The home feed''s order (feed_posts), read backwards: pinned first, newest first, then id; live published posts only.';

-- =====================================================================================================
-- search
-- =====================================================================================================
create function private.text_grams(haystack text) returns text[]
language sql immutable parallel safe cost 10000 set search_path = ''
as $$
  select coalesce(array_agg(distinct g), '{}')
    from (select unnest(string_to_array(lower(haystack), null)) as g
          union all
          select m[1] from regexp_matches(lower(haystack), '(..)', 'g') as m
          union all
          select m[1] from regexp_matches(substr(lower(haystack), 2), '(..)', 'g') as m) t
$$;
comment on function private.text_grams(text) is
  'The distinct characters and two-character pieces (overlapping: the pairs from the first character and those from the second) of a text, lower-cased: what the search index holds. Built with C-level string functions (string_to_array, regexp_matches), about 0.1 ms for a few hundred characters; its declared cost tells the planner to read the index rather than compute it row by row.';

create function private.post_search_text(title text, summary text, body text) returns text
language sql immutable parallel safe
as $$
  select pg_catalog.lower(title operator(pg_catalog.||) E'\n' operator(pg_catalog.||) summary
                          operator(pg_catalog.||) E'\n' operator(pg_catalog.||) body)
$$;
comment on function private.post_search_text(text, text, text) is
  'Inlined: no search_path so the planner inlines it into search and the index expression (security invoker, every name schema-qualified). The text search reads: title, summary and body, lower-cased.';

create function private.query_grams(q text) returns text[]
language sql immutable parallel safe set search_path = ''
as $$
  select case when char_length(lower(btrim(q))) = 1 then array[lower(btrim(q))]
              else coalesce((select array_agg(distinct substr(lower(btrim(q)), i, 2))
                               from generate_series(1, char_length(btrim(q)) - 1) i
                              where substr(lower(btrim(q)), i, 2) !~ '^\s+$'), '{}') end
$$;
comment on function private.query_grams(text) is 'The pieces every match of a query must contain: its two-character pieces (its one character when it is one long).';

create index posts_search_grams_idx on public.posts
  using gin (private.text_grams(private.post_search_text(title, summary, body)))
  with (fastupdate = off)
  where status = 'published' and archived_at is null;
comment on index public.posts_search_grams_idx is 'Search (search_post_hits): characters and bigrams of live published posts'' text; works without pg_trgm. No pending list (fastupdate off): posts are written rarely and read often, so every search costs the same.';

-- The newest live posts first, for common words: a page of hits is usually among the newest few hundred.
create index posts_search_recent_idx on public.posts (published_at, id) where status = 'published' and archived_at is null;
comment on index public.posts_search_recent_idx is 'Search (search_post_hits) of common words: the newest live posts first.';

-- The index's operator (@> on arrays) is not leakproof, so under row-level security PostgreSQL may not
-- use it before the policies have passed each row: as a person, the query would read every post. The
-- candidates are therefore listed with the owner's rights, ids only; the caller's own query then reads
-- those ids under the policies, so nothing is shown that the caller could not read anyway.
create function private.search_candidates(q text, max_rows integer) returns uuid[]
language sql stable security definer set search_path = ''
as $$
  select array(
    select c.id from public.posts c
     where c.status = 'published' and c.archived_at is null
       and private.text_grams(private.post_search_text(c.title, c.summary, c.body)) @> private.query_grams(q)
     limit max_rows)
$$;
comment on function private.search_candidates(text, integer) is
  'Ids of live published posts whose text holds every piece of q, at most max_rows (null: all): the search index, read with the owner''s rights because its operator is not leakproof. Ids only: search_post_hits reads the posts under the caller''s policies.';

revoke execute on function private.text_grams(text), private.post_search_text(text, text, text), private.query_grams(text) from public;
revoke execute on function private.search_candidates(text, integer) from public;
grant execute on function private.search_candidates(text, integer) to anon, authenticated, service_role;
grant execute on function private.text_grams(text), private.post_search_text(text, text, text), private.query_grams(text)
  to anon, authenticated, service_role;

-- The newest 500 posts the caller may read (their policies apply: security invoker), those containing q
-- (lower-cased text only when q has letters), newest first, at most 50: a full page means these are the
-- 50 newest hits of all.
create function private.search_recent(q text, cased boolean, before_published_at timestamptz, before_id uuid) returns uuid[]
language sql stable security invoker set search_path = ''
as $$
  select array_agg(r.id order by r.published_at desc, r.id desc)
    from (select p.id, p.published_at
            from (select p.id, p.published_at, p.title, p.summary, p.body
                    from public.posts p
                   where p.status = 'published' and p.published_at <= now() and p.archived_at is null
                     and (before_id is null or (p.published_at, p.id) < (before_published_at, before_id))
                   order by p.published_at desc, p.id desc
                   limit 500) p
           where strpos(case when cased then private.post_search_text(p.title, p.summary, p.body)
                             else p.title || E'\n' || p.summary || E'\n' || p.body end, q) > 0
           order by p.published_at desc, p.id desc
           limit 50) r
$$;
comment on function private.search_recent(text, boolean, timestamptz, uuid) is
  'Search of common words: the hits among the newest 500 posts the caller may read (security invoker), newest first, at most 50.';
revoke execute on function private.search_recent(text, boolean, timestamptz, uuid) from public;
grant execute on function private.search_recent(text, boolean, timestamptz, uuid) to anon, authenticated, service_role;

create function public.search_post_hits(
  q text,
  before_published_at timestamptz default null,
  before_id uuid default null
) returns table (
  id uuid,
  kind public.post_kind,
  title text,
  summary text,
  tags text[],
  region text,
  cover_path text,
  issuer text,
  pinned boolean,
  published_at timestamptz,
  revised_at timestamptz,
  author_name text,
  hit_field text,
  snippet text,
  hit_start integer,
  hit_length integer
)
language plpgsql stable security invoker set search_path = ''
as $$
declare
  v_q text := lower(btrim(coalesce(q, '')));
  -- Chinese has no letter case: lower-casing the posts' text (the costly part) only when q has letters
  v_cased boolean := v_q <> upper(v_q);
  v_ids uuid[];
  v_candidates uuid[];
begin
  if char_length(v_q) > 30 then
    raise exception '搜索词最多30个字' using errcode = '22023', hint = 'query_too_long';
  end if;
  if v_q = '' then
    return;
  end if;
  if before_id is not null and before_published_at is null then
    raise exception '翻页参数不完整' using errcode = '22023', hint = 'cursor';
  end if;

  -- One or two characters are usually common: a page of hits is then among the newest few hundred
  -- posts, read in order. Longer queries ask the index first: a few hundred candidates are read by id.
  if char_length(v_q) <= 2 then
    v_ids := private.search_recent(v_q, v_cased, before_published_at, before_id);
  end if;
  if coalesce(cardinality(v_ids), 0) < 50 then
    v_candidates := private.search_candidates(v_q, 1001);
    if cardinality(v_candidates) > 1000 then
      -- a common phrase: newest first, else every candidate
      if char_length(v_q) > 2 then
        v_ids := private.search_recent(v_q, v_cased, before_published_at, before_id);
      end if;
      if coalesce(cardinality(v_ids), 0) < 50 then
        v_candidates := private.search_candidates(v_q, null);
      end if;
    end if;
    if coalesce(cardinality(v_ids), 0) < 50 then
      select array_agg(r.id order by r.published_at desc, r.id desc) into v_ids
        from (select p.id, p.published_at
                from public.posts p
               where p.id = any (v_candidates)
                 and p.status = 'published' and p.published_at <= now() and p.archived_at is null
                 and strpos(case when v_cased then private.post_search_text(p.title, p.summary, p.body)
                                 else p.title || E'\n' || p.summary || E'\n' || p.body end, v_q) > 0
                 and (before_id is null or (p.published_at, p.id) < (before_published_at, before_id))
               order by p.published_at desc, p.id desc
               limit 50) r;
    end if;
  end if;

  return query
  select h.id, h.kind, h.title, h.summary, h.tags, h.region, h.cover_path, h.issuer, h.pinned, h.published_at,
         h.revised_at, a.display_name, m.field,
         case m.field when 'title' then h.title when 'summary' then h.summary
           else (case when m.pos > 20 then '…' else '' end)
                || substr(replace(h.body, E'\n', ' '), greatest(m.pos - 20, 1), 80)
                || case when char_length(h.body) >= greatest(m.pos - 20, 1) + 80 then '…' else '' end end,
         case m.field when 'body' then (case when m.pos > 20 then 1 else 0 end) + m.pos - greatest(m.pos - 20, 1)
           else m.pos - 1 end,
         char_length(v_q)
    from unnest(v_ids) with ordinality as u(id, n)
    join public.posts h on h.id = u.id
    left join public.profiles a on a.id = h.author_id
    cross join lateral (
      select case when strpos(lower(h.title), v_q) > 0 then 'title'
                  when strpos(lower(h.summary), v_q) > 0 then 'summary'
                  else 'body' end as field,
             coalesce(nullif(strpos(lower(h.title), v_q), 0), nullif(strpos(lower(h.summary), v_q), 0),
                      strpos(lower(h.body), v_q)) as pos
    ) m
   order by u.n;
end
$$;
comment on function public.search_post_hits(text, timestamptz, uuid) is
  '搜索: visible, not archived posts the caller may read whose title, summary or body contain q (any characters: 担保 finds 创业担保贷款贴息), newest first, 50 a page (next page: the last row''s published_at and id as before_published_at, before_id). hit_field says where it was found (title, summary or body); snippet is the title, the summary, or about 80 characters of the body around the hit; hit_start (0-based, in characters) and hit_length mark the hit in snippet.';
revoke execute on function public.search_post_hits(text, timestamptz, uuid) from public;
grant execute on function public.search_post_hits(text, timestamptz, uuid) to anon, authenticated, service_role;

-- =====================================================================================================
-- bookmarks: 我的收藏, newest first
-- =====================================================================================================
create index post_bookmarks_user_recent_idx on public.post_bookmarks (user_id, created_at desc, post_id);

create function public.my_bookmarks(before timestamptz default null)
returns table (
  bookmarked_at timestamptz,
  id uuid,
  kind public.post_kind,
  title text,
  summary text,
  tags text[],
  region text,
  cover_path text,
  pinned boolean,
  published_at timestamptz,
  revised_at timestamptz,
  archived_at timestamptz,
  author_name text
)
language sql stable security invoker set search_path = ''
as $$
  select b.created_at, p.id, p.kind, p.title, p.summary, p.tags, p.region, p.cover_path, p.pinned,
         p.published_at, p.revised_at, p.archived_at, a.display_name
    from public.post_bookmarks b
    join public.posts p on p.id = b.post_id
    left join public.profiles a on a.id = p.author_id
   where b.user_id = (select auth.uid())
     and (before is null or b.created_at < before)
   order by b.created_at desc, b.post_id
   limit 50
$$;
comment on function public.my_bookmarks(timestamptz) is
  '我的收藏: the caller''s bookmarks of posts they can still read, newest first, 50 a page (next page: before = the last row''s bookmarked_at). Archived posts stay, with archived_at.';
revoke execute on function public.my_bookmarks(timestamptz) from public, anon;

-- =====================================================================================================
-- reads: each person counts once per post
-- =====================================================================================================
create table private.post_reads (
  post_id uuid not null references public.posts (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  read_at timestamptz not null default now(),
  primary key (post_id, user_id)
);
comment on table private.post_reads is 'Who opened which post (first time), so posts.read_count counts each person once. Written by record_post_read only.';
create index post_reads_user_idx on private.post_reads (user_id);
revoke all on private.post_reads from public, anon, authenticated, service_role;

create function private.record_post_read(p_post uuid) returns integer
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  v_count integer;
begin
  if v_user is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not private.can_see_post(p_post) then
    raise exception '找不到这篇资讯' using errcode = 'P0002';
  end if;
  insert into private.post_reads (post_id, user_id) values (p_post, v_user) on conflict do nothing;
  if found then
    update public.posts p set read_count = p.read_count + 1 where p.id = p_post returning p.read_count into v_count;
  else
    select p.read_count into v_count from public.posts p where p.id = p_post;
  end if;
  return v_count;
end
$$;
comment on function private.record_post_read(uuid) is 'Counts the caller''s first read of a post they can see; returns the post''s read count.';
revoke execute on function private.record_post_read(uuid) from public;
grant execute on function private.record_post_read(uuid) to authenticated;

create function public.record_post_read(post_id uuid) returns integer
language sql volatile security invoker set search_path = ''
as $$ select private.record_post_read(post_id) $$;
comment on function public.record_post_read(uuid) is '阅读: counts the caller once per post (a second read changes nothing); returns the read count.';
revoke execute on function public.record_post_read(uuid) from public, anon;

revoke execute on all functions in schema private from public;
