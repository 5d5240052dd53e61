-- Fix (scripts/bench/posts.ts): searching a common word (担保, 创业担保贷款) as a worker took three times
-- as long as the service role. private.search_recent takes the newest 500 posts the caller may read and
-- looks for the word in them; it walked posts_search_recent_idx, newest first, and row-level security
-- dropped every post of another region after reading it. 陈秀英 (四方区兴隆路街道) reads 全市, 四方区 and
-- her street, about a quarter of the posts, so 1,828 posts were read for her 452 (EXPLAIN ANALYZE:
-- "Rows Removed by Filter: 1376", 3.8 ms against 1.1 ms).
--
-- The region is now part of an index, (region, published_at, id) over live published posts, and a
-- reader who sees only some regions is served by one walk per region, newest first, merged (Merge
-- Append): about as many posts are read as are kept. A region-bound reader (anon, workers) has at most
-- three regions (private.regions_of: 全市, the district, the street); posts they wrote themselves in
-- another region (a butler made a worker again) are a fourth walk. Staff, admins and roles that bypass
-- row-level security see every region and keep the single walk.
--
-- The walks run with the owner's rights and say who may read what themselves (live published posts of
-- the reader's regions, and their own), so the posts policy is not asked again in each walk (its helper
-- calls once per walk, its test once per row); they return ids only, which search_post_hits reads under
-- the caller's policies, as it reads the index's candidates (private.search_candidates). What anyone
-- finds is unchanged: the walks hold exactly the live posts the policy lets a region-bound reader see.

-- (published_at is not null is always true of a published post; saying it keeps this index to queries
-- that bound published_at, as search_recent does, and out of plain lookups of live posts.)
create index posts_region_recent_idx on public.posts (region, published_at, id)
  where status = 'published' and archived_at is null and published_at is not null;
comment on index public.posts_region_recent_idx is
  'Search (private.search_recent) for readers bound to regions: the newest live posts of one region first.';

-- The newest 500 live posts a region-bound reader may read (their regions, and their own posts
-- elsewhere), those containing q, newest first, at most 50: ids only.
create function private.search_recent_in_my_regions(q text, cased boolean, before_published_at timestamptz, before_id uuid)
returns uuid[]
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_regions text[] := array(select distinct r from unnest(private.my_regions()) r where r is not null);
  -- only people who wrote a published post have their own posts to walk: for everyone else the fourth
  -- walk is planned away (a constant false)
  v_author boolean := exists (select 1 from private.post_authors a where a.person = v_uid);
begin
  if cardinality(v_regions) > 3 then
    -- not a shape private.regions_of gives; one walk, the same rule
    return (
      select array_agg(r.id order by r.published_at desc, r.id desc)
        from (select p.id, p.published_at
                from (select p.id, p.published_at, p.title, p.summary, p.body
                        from public.posts p
                       where p.status = 'published' and p.published_at <= now() and p.archived_at is null
                         and (p.region = any (v_regions) or p.author_id = v_uid)
                         and (before_id is null or (p.published_at, p.id) < (before_published_at, before_id))
                       order by p.published_at desc, p.id desc
                       limit 500) p
               where strpos(case when cased then private.post_search_text(p.title, p.summary, p.body)
                                 else p.title || E'\n' || p.summary || E'\n' || p.body end, q) > 0
               order by p.published_at desc, p.id desc
               limit 50) r);
  end if;

  return (
    select array_agg(r.id order by r.published_at desc, r.id desc)
      from (select p.id, p.published_at
              from (select u.id, u.published_at, u.title, u.summary, u.body
                      from ((select p.id, p.published_at, p.title, p.summary, p.body
                               from public.posts p
                              where p.region = v_regions[1]
                                and p.status = 'published' and p.published_at <= now() and p.archived_at is null
                                and (before_id is null or (p.published_at, p.id) < (before_published_at, before_id))
                              order by p.published_at desc, p.id desc
                              limit 500)
                            union all
                            (select p.id, p.published_at, p.title, p.summary, p.body
                               from public.posts p
                              where p.region = v_regions[2]
                                and p.status = 'published' and p.published_at <= now() and p.archived_at is null
                                and (before_id is null or (p.published_at, p.id) < (before_published_at, before_id))
                              order by p.published_at desc, p.id desc
                              limit 500)
                            union all
                            (select p.id, p.published_at, p.title, p.summary, p.body
                               from public.posts p
                              where p.region = v_regions[3]
                                and p.status = 'published' and p.published_at <= now() and p.archived_at is null
                                and (before_id is null or (p.published_at, p.id) < (before_published_at, before_id))
                              order by p.published_at desc, p.id desc
                              limit 500)
                            union all
                            -- their own posts in other regions (a butler made a worker again)
                            (select p.id, p.published_at, p.title, p.summary, p.body
                               from public.posts p
                              where v_author and p.author_id = v_uid and p.region <> all (v_regions)
                                and p.status = 'published' and p.published_at <= now() and p.archived_at is null
                                and (before_id is null or (p.published_at, p.id) < (before_published_at, before_id))
                              order by p.published_at desc, p.id desc
                              limit 500)) u
                     order by u.published_at desc, u.id desc
                     limit 500) p
             where strpos(case when cased then private.post_search_text(p.title, p.summary, p.body)
                               else p.title || E'\n' || p.summary || E'\n' || p.body end, q) > 0
             order by p.published_at desc, p.id desc
             limit 50) r);
end
$$;
comment on function private.search_recent_in_my_regions(text, boolean, timestamptz, uuid) is
  'Search of common words for a reader bound to regions (private.my_regions): the hits among the newest 500 live posts of their regions and their own, newest first, at most 50, ids only. One walk of posts_region_recent_idx per region, merged; with the owner''s rights, the rule written out, so the posts policy is not asked per walk and per row; search_post_hits reads the ids under the caller''s policies.';
revoke execute on function private.search_recent_in_my_regions(text, boolean, timestamptz, uuid) from public;
grant execute on function private.search_recent_in_my_regions(text, boolean, timestamptz, uuid) to anon, authenticated, service_role;

create or replace function private.search_recent(q text, cased boolean, before_published_at timestamptz, before_id uuid)
returns uuid[]
language plpgsql stable security invoker set search_path = ''
as $$
begin
  -- Region-bound readers: row-level security on and not staff (admins are staff).
  if pg_catalog.row_security_active('public.posts'::regclass) and not private.is_staff() then
    return private.search_recent_in_my_regions(q, cased, before_published_at, before_id);
  end if;
  return (
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
             limit 50) r);
end
$$;
comment on function private.search_recent(text, boolean, timestamptz, uuid) is
  'Search of common words: the hits among the newest 500 posts the caller may read, newest first, at most 50. Readers bound to regions (row-level security on, not staff) through private.search_recent_in_my_regions (a walk per region of posts_region_recent_idx, merged); everyone else walks posts_search_recent_idx under their policies (security invoker).';
