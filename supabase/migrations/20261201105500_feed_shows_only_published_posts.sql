-- Fix: an author's drafts and scheduled posts led their own home feed. The feed read the posts table,
-- and row-level security rightly lets authors read their own unpublished posts, so for them the feed was
-- "everything I may read" rather than "what is published".
--
-- The feed is now its own function: visible posts only (published, published_at passed), the same for
-- everyone, the author included, pinned first and then newest first. It runs with the caller's rights,
-- so row-level security still applies.

-- =====================================================================================================
-- the home feed
-- =====================================================================================================
create function public.feed_posts() returns setof public.posts
language sql stable security invoker set search_path = ''
as $$
  select p.*
    from public.posts p
   where private.is_public_post(p.status, p.published_at)
   order by p.pinned desc, p.published_at desc, p.id
$$;
comment on function public.feed_posts() is
  'The home feed (首页): published posts whose time has come, pinned first, then newest first; never drafts or scheduled posts, not even the author''s own. Embed the author''s name with select(''…, author:profiles!author_id(display_name)'').';
revoke execute on function public.feed_posts() from public;
grant execute on function public.feed_posts() to anon, authenticated, service_role;
