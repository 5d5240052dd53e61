-- Fix: a person could bookmark a post they cannot see. Bookmarking another butler's draft answered 201
-- (and so confirmed the draft exists), while an id that matches no post answered 409 from the foreign
-- key: together they told anyone which hidden posts exist.
--
-- A bookmark may now be added only for a post the person can see (published and due, or their own).
-- A hidden post and a post that does not exist give the same answer: the insert policy refuses both,
-- 403 42501 `new row violates row-level security policy for table "post_bookmarks"` (row-level
-- security is checked before the foreign key, so the 409 never happens for a person). Bookmarks already
-- made stay; they show nothing while their post is hidden, because reading the post is still RLS-bound.

-- =====================================================================================================
-- helpers: which posts a person can see
-- =====================================================================================================
create function private.is_public_post(post_status public.post_status, post_published_at timestamptz) returns boolean
language sql stable set search_path = ''
as $$
  select post_status = 'published' and post_published_at <= now()
$$;
comment on function private.is_public_post(public.post_status, timestamptz) is
  'The rule of a visible post: published, and its published_at has passed (a later time schedules it). Used by the posts policies, the feed and the bookmark policy, so the rule is written once.';

create function private.can_see_post(post uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.posts p
     where p.id = post
       and (private.is_public_post(p.status, p.published_at) or p.author_id = (select auth.uid()))
  )
$$;
comment on function private.can_see_post(uuid) is
  'True when the caller can see the post: a visible one, or their own draft or scheduled post. False for an id that matches no post, so hidden and unknown posts cannot be told apart.';

revoke execute on function private.is_public_post(public.post_status, timestamptz), private.can_see_post(uuid) from public;
grant execute on function private.is_public_post(public.post_status, timestamptz), private.can_see_post(uuid)
  to anon, authenticated, service_role;

-- =====================================================================================================
-- bookmarks
-- =====================================================================================================
drop policy "people bookmark for themselves" on public.post_bookmarks;
create policy "people bookmark posts they can see, for themselves" on public.post_bookmarks
  for insert to authenticated with check (user_id = (select auth.uid()) and private.can_see_post(post_id));

comment on table public.post_bookmarks is
  'Posts a person saved to read again (收藏). Only posts the person can see may be bookmarked; a hidden or unknown post is refused alike (403 42501).';
