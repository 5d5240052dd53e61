-- Fix (Supabase database advisor, multiple_permissive_policies): posts and role_changes had two
-- permissive SELECT policies for `authenticated`, which PostgreSQL evaluates both of for every row.
-- (profiles was merged by 20261201100000_profiles_show_others_only_names.) Each table now has one
-- permissive policy per role and action; the helpers carry the rules. Nobody sees more or less than
-- before.

-- =====================================================================================================
-- posts
-- =====================================================================================================
drop policy "everyone reads published posts" on public.posts;
drop policy "authors read their own drafts" on public.posts;

create policy "anyone reads visible posts" on public.posts
  for select to anon using (private.is_public_post(status, published_at));
create policy "people read visible posts and their own" on public.posts
  for select to authenticated using (private.is_public_post(status, published_at) or author_id = (select auth.uid()));

-- =====================================================================================================
-- role_changes
-- =====================================================================================================
drop policy "admins read the role audit" on public.role_changes;
drop policy "people read changes to their own role" on public.role_changes;

create policy "people read changes to their own role, admins every change" on public.role_changes
  for select to authenticated using (user_id = (select auth.uid()) or (select private.is_admin()));
