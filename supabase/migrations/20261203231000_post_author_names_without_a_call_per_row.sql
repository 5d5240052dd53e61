-- Fix (scripts/bench/posts.ts): after the policy helpers (20261203230000), the largest part of a worker's
-- feed page was the authors' names. Each embedded author:profiles!author_id(…) row is checked by the
-- profiles policy, private.can_see_name(id): a security-definer PL/pgSQL call with its own search_path
-- per row, 0.016 ms each, 0.3 ms of a 20-row page the service role reads in 0.15 ms (search and
-- 我的收藏 pay it up to 50 times).
--
-- Nearly every name read beside a post is that of an author of a visible post, which everyone may read
-- (private.has_published_posts). That set is now kept small and at hand: private.post_authors holds,
-- for every person with a published post, the earliest published_at of their published posts, kept
-- exact by triggers on posts. "Has a visible post" is then "first_published_at <= now()": the same answer
-- as has_published_posts, a scheduled post counting from its time. The profiles policy reads that list
-- once per statement (an initplan) and asks can_see_name, unchanged, only for other people: nobody sees
-- more or fewer names than before.

-- =====================================================================================================
-- who has published posts, from when
-- =====================================================================================================
create table private.post_authors (
  person uuid primary key references public.profiles (id) on delete cascade,
  first_published_at timestamptz not null
);
comment on table private.post_authors is
  'People with at least one published post (archived ones included) and the earliest published_at among them: has_published_posts(person) is first_published_at <= now(). Kept by triggers on posts (private.refresh_post_authors); read by the profiles policy through private.visible_post_authors().';
revoke all on private.post_authors from public, anon, authenticated, service_role;

-- the earliest published post of an author, without reading their other posts
create index posts_author_published_idx on public.posts (author_id, published_at) where status = 'published';
comment on index public.posts_author_published_idx is 'The earliest published post of an author (private.refresh_post_authors).';

create function private.refresh_post_authors(people uuid[]) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_person uuid;
begin
  -- One writer per author at a time: a second transaction waits here, and its next statement (read
  -- committed) sees what the first one committed, so the stored time is never an older one.
  for v_person in select distinct x from unnest(people) x where x is not null order by 1 loop
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('private.post_authors:' || v_person::text, 0));
  end loop;
  with f as (
    select x.person,
           (select min(p.published_at) from public.posts p where p.author_id = x.person and p.status = 'published') as first
      from (select distinct y as person from unnest(people) y where y is not null) x
  ), gone as (
    delete from private.post_authors a using f where a.person = f.person and f.first is null
  )
  insert into private.post_authors (person, first_published_at)
  select f.person, f.first from f where f.first is not null
  on conflict (person) do update set first_published_at = excluded.first_published_at
    where private.post_authors.first_published_at is distinct from excluded.first_published_at;
end
$$;
comment on function private.refresh_post_authors(uuid[]) is
  'Recomputes private.post_authors for these people from their published posts (posts triggers).';
revoke execute on function private.refresh_post_authors(uuid[]) from public;

create function private.post_authors_after_insert() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.refresh_post_authors(array(select distinct n.author_id from new_rows n where n.status = 'published'));
  return null;
end
$$;
comment on function private.post_authors_after_insert() is 'Statement trigger: authors of newly inserted published posts, once per statement.';

create function private.post_authors_after_delete() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.refresh_post_authors(array(select distinct o.author_id from old_rows o where o.status = 'published'));
  return null;
end
$$;
comment on function private.post_authors_after_delete() is 'Statement trigger: authors of deleted published posts, once per statement.';

create function private.post_authors_after_update() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.refresh_post_authors(array[old.author_id, new.author_id]);
  return null;
end
$$;
comment on function private.post_authors_after_update() is 'Row trigger: a post''s state, time or author changed (read counts and edits of the text do not fire it).';

revoke execute on function private.post_authors_after_insert(), private.post_authors_after_delete(),
  private.post_authors_after_update() from public;

create trigger posts_authors_insert after insert on public.posts
  referencing new table as new_rows for each statement execute function private.post_authors_after_insert();
create trigger posts_authors_delete after delete on public.posts
  referencing old table as old_rows for each statement execute function private.post_authors_after_delete();
create trigger posts_authors_update after update of status, published_at, author_id on public.posts
  for each row
  when (old.status is distinct from new.status or old.published_at is distinct from new.published_at
        or old.author_id is distinct from new.author_id)
  execute function private.post_authors_after_update();

insert into private.post_authors (person, first_published_at)
select p.author_id, min(p.published_at) from public.posts p where p.status = 'published' group by p.author_id;

-- =====================================================================================================
-- the names of authors of visible posts, once per statement
-- =====================================================================================================
create function private.visible_post_authors() returns uuid[]
language plpgsql stable security definer set search_path = ''
as $$
begin
  return array(select a.person from private.post_authors a where a.first_published_at <= now());
end
$$;
comment on function private.visible_post_authors() is
  'The people who authored a visible post (published, its time come): private.has_published_posts for everyone at once, from private.post_authors. Their names are readable by everyone.';
revoke execute on function private.visible_post_authors() from public;
grant execute on function private.visible_post_authors() to anon, authenticated, service_role;

drop policy "people read the names they may see" on public.profiles;
create policy "people read the names they may see" on public.profiles
  for select to anon, authenticated
  using (id = any ((select private.visible_post_authors())::uuid[]) or private.can_see_name(id));
