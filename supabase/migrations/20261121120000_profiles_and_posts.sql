-- Foundation: people and the policy/project feed.
-- Identity (sign-in, onboarding, role grants) builds on `profiles` in a later migration.

-- =====================================================================================================
-- private schema: helpers policies call; never exposed through the API
-- =====================================================================================================
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to anon, authenticated, service_role;
alter default privileges in schema private revoke execute on functions from public;

-- =====================================================================================================
-- types
-- =====================================================================================================
create type public.app_role as enum ('worker', 'butler', 'admin');
comment on type public.app_role is
  'What a person may do in the app. Granted by an admin in the database, never taken from the client.';

create type public.post_kind as enum ('policy', 'project', 'story', 'notice');
comment on type public.post_kind is '政策 policy, 创业项目 project, 创业典型 story, 通知 notice.';

create type public.post_status as enum ('draft', 'published');
comment on type public.post_status is
  'A draft is seen only by its author; a published post is public once published_at has passed.';

-- =====================================================================================================
-- profiles
-- =====================================================================================================
create table public.profiles (
  id uuid primary key default gen_random_uuid(),
  display_name text not null check (char_length(btrim(display_name)) between 1 and 32),
  role public.app_role not null default 'worker',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is
  'One row per person who signed in with WeChat. id is the JWT sub of that person.';
comment on column public.profiles.role is
  'Changed only by an admin through an audited RPC; clients have no UPDATE grant on it.';

alter table public.profiles enable row level security;

-- Clients may change only their own display name; role and timestamps are the system's.
revoke insert, update, delete on public.profiles from anon, authenticated;
grant update (display_name) on public.profiles to authenticated;

-- =====================================================================================================
-- role helpers (security definer so policies do not recurse through profiles' own RLS)
-- =====================================================================================================
create function private.current_app_role() returns public.app_role
language sql stable security definer set search_path = ''
as $$
  select p.role from public.profiles p where p.id = (select auth.uid())
$$;
comment on function private.current_app_role() is
  'The caller''s role from the database (null for anonymous or unknown callers).';

create function private.is_staff() returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce(private.current_app_role() in ('butler', 'admin'), false)
$$;
comment on function private.is_staff() is 'True for butlers and admins: the people who write posts.';

grant execute on function private.current_app_role(), private.is_staff() to anon, authenticated, service_role;

-- =====================================================================================================
-- profiles policies
-- =====================================================================================================
create policy "people read their own profile" on public.profiles
  for select to authenticated using (id = (select auth.uid()));
create policy "staff read every profile" on public.profiles
  for select to authenticated using ((select private.is_staff()));
create policy "people rename themselves" on public.profiles
  for update to authenticated using (id = (select auth.uid())) with check (id = (select auth.uid()));


-- =====================================================================================================
-- posts
-- =====================================================================================================
create table public.posts (
  id uuid primary key default gen_random_uuid(),
  kind public.post_kind not null,
  title text not null check (char_length(btrim(title)) between 1 and 80),
  summary text not null default '' check (char_length(summary) <= 200),
  body text not null default '' check (char_length(body) <= 20000),
  tags text[] not null default '{}' check (cardinality(tags) <= 8),
  status public.post_status not null default 'draft',
  pinned boolean not null default false,
  published_at timestamptz,
  author_id uuid not null default auth.uid() references public.profiles (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint published_posts_have_a_date check (status = 'draft' or published_at is not null)
);
comment on table public.posts is
  'Policy news, startup projects, founder stories and notices written by staff (政策资讯 / 创业项目).';
comment on column public.posts.published_at is
  'When a published post becomes visible; a future time schedules it.';
comment on column public.posts.pinned is 'Pinned posts lead the feed (置顶).';

create index posts_feed_idx on public.posts (pinned desc, published_at desc) where status = 'published';
create index posts_author_idx on public.posts (author_id);

alter table public.posts enable row level security;
revoke all on public.posts from anon;
grant select on public.posts to anon;

create function private.touch_updated_at() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;
comment on function private.touch_updated_at() is 'Keeps updated_at true whatever the client sends.';

create trigger posts_touch before update on public.posts
  for each row execute function private.touch_updated_at();
create trigger profiles_touch before update on public.profiles
  for each row execute function private.touch_updated_at();

create policy "everyone reads published posts" on public.posts
  for select to anon, authenticated using (status = 'published' and published_at <= now());
create policy "authors read their own drafts" on public.posts
  for select to authenticated using (author_id = (select auth.uid()));
create policy "staff write posts as themselves" on public.posts
  for insert to authenticated with check ((select private.is_staff()) and author_id = (select auth.uid()));
create policy "staff edit their own posts" on public.posts
  for update to authenticated
  using ((select private.is_staff()) and author_id = (select auth.uid()))
  with check ((select private.is_staff()) and author_id = (select auth.uid()));
create policy "staff delete their own posts" on public.posts
  for delete to authenticated using ((select private.is_staff()) and author_id = (select auth.uid()));

-- The feed shows each author's name: anyone may read the name (and only the name, by column grant for
-- anon) of a person who has a published post.
create function private.has_published_posts(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.posts p
    where p.author_id = person and p.status = 'published' and p.published_at <= now()
  )
$$;
comment on function private.has_published_posts(uuid) is
  'True when the person authored a visible post, so their name may be shown beside it.';
grant execute on function private.has_published_posts(uuid) to anon, authenticated, service_role;

revoke select on public.profiles from anon;
grant select (id, display_name) on public.profiles to anon;
create policy "everyone reads the names of post authors" on public.profiles
  for select to anon, authenticated using (private.has_published_posts(id));

-- =====================================================================================================
-- bookmarks
-- =====================================================================================================
create table public.post_bookmarks (
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  post_id uuid not null references public.posts (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_id, post_id)
);
comment on table public.post_bookmarks is 'Posts a person saved to read again (收藏).';
create index post_bookmarks_post_idx on public.post_bookmarks (post_id);

alter table public.post_bookmarks enable row level security;
revoke all on public.post_bookmarks from anon;
revoke update on public.post_bookmarks from authenticated;

create policy "people read their own bookmarks" on public.post_bookmarks
  for select to authenticated using (user_id = (select auth.uid()));
create policy "people bookmark for themselves" on public.post_bookmarks
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "people remove their own bookmarks" on public.post_bookmarks
  for delete to authenticated using (user_id = (select auth.uid()));

-- =====================================================================================================
-- search
-- =====================================================================================================
create function public.search_posts(query text) returns setof public.posts
language sql stable security invoker set search_path = ''
as $$
  select p.*
  from public.posts p
  where p.status = 'published'
    and p.published_at <= now()
    and (
      coalesce(btrim(query), '') = ''
      or p.title ilike '%' || btrim(query) || '%'
      or p.summary ilike '%' || btrim(query) || '%'
      or btrim(query) = any (p.tags)
    )
  order by p.pinned desc, p.published_at desc
$$;
comment on function public.search_posts(text) is
  'Feed search by words in title or summary, or an exact tag; runs with the caller''s rights, so RLS applies.';
