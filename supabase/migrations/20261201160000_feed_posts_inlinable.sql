-- Fix: the home feed took ~40–100 ms over 10,000 posts (npm run bench). feed_posts() and the rule of a
-- visible post, private.is_public_post(), carried `set search_path = ''`, and PostgreSQL never inlines a
-- function with a SET clause: the posts policies called the helper row by row (a function call per
-- post), the planner could not see the rule to estimate it, and it sorted the whole visible set before
-- taking the client's 20 rows. Without the SET both are inlined into the caller's query: the policy
-- becomes a plain predicate and the feed walks posts_feed_idx for the first 20 rows (≈ 0.2 ms).
--
-- A pinned search_path protects functions that run with more rights than the caller (security definer)
-- or that name objects without a schema. These two do neither: they run with the caller's rights and
-- every name in them is schema-qualified (operators included). The schema lint accepts such functions
-- only when they are `language sql`, security invoker, and say so in a comment beginning "Inlined:".

-- =====================================================================================================
-- the rule of a visible post, inlinable
-- =====================================================================================================
create or replace function private.is_public_post(post_status public.post_status, post_published_at timestamptz)
returns boolean
language sql stable security invoker
as $$
  select post_status operator(pg_catalog.=) 'published'::public.post_status
     and post_published_at operator(pg_catalog.<=) pg_catalog.now()
$$;
comment on function private.is_public_post(public.post_status, timestamptz) is
  'Inlined: no search_path so the planner inlines it into policies and the feed (security invoker, every name schema-qualified). The rule of a visible post: published, and its published_at has passed (a later time schedules it). Used by the posts policies, the feed and the bookmark policy, so the rule is written once.';

-- =====================================================================================================
-- the home feed, inlinable
-- =====================================================================================================
create or replace function public.feed_posts() returns setof public.posts
language sql stable security invoker
as $$
  select p.*
    from public.posts p
   where private.is_public_post(p.status, p.published_at)
   order by p.pinned desc, p.published_at desc, p.id
$$;
comment on function public.feed_posts() is
  'Inlined: no search_path so the planner inlines it (security invoker, every name schema-qualified). The home feed (首页): published posts whose time has come (private.is_public_post), pinned first, then newest first; never drafts or scheduled posts, not even the author''s own. Embed the author''s name with select(''…, author:profiles!author_id(display_name)'').';

-- =====================================================================================================
-- the feed's order, whole, in one index
-- =====================================================================================================
-- The feed orders by id after pinned and published_at (a stable order for paging); with id in the index
-- the first page is read in index order and never sorted, whatever the planner estimates.
create index posts_feed_order_idx on public.posts (pinned desc, published_at desc, id) where status = 'published';
drop index public.posts_feed_idx;
comment on index public.posts_feed_order_idx is 'The home feed''s order (feed_posts): pinned first, newest first, then id; published posts only.';
