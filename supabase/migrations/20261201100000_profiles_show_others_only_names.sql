-- Fix: every signed-in person could read every column of any profile that has a published post.
--
-- The first migration let anyone read the profile of a post author so the feed could show the name, and
-- limited anon to (id, display_name) by column grant; but `authenticated` kept its table-wide SELECT, so
-- a signed-in worker read a post author's former employer, displacement date and startup plans. Worse,
-- the rule follows the posts, not the role: worker2 became a butler, posted, was made a worker again,
-- and her whole profile stayed readable to everyone.
--
-- Now the `profiles` table gives every API role the same two columns, id and display_name, of the rows
-- the caller may see a name of (their own, the people whose full profile they may read, and post
-- authors). The full profile is read through public.full_profiles(), which returns only the rows
-- private.can_see_profile() allows. Who may read whose full profile is decided in that one helper.
--
-- Also merges the three SELECT policies of profiles into one per role (Supabase advisor
-- multiple_permissive_policies).

-- =====================================================================================================
-- helpers: whose full profile, and whose name, may the caller read
-- =====================================================================================================
create function private.can_see_profile(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce(person = (select auth.uid()), false) or private.is_staff()
$$;
comment on function private.can_see_profile(uuid) is
  'True when the caller may read every field of the person''s profile: the person themselves and staff. The one place that decides it; policies and public.full_profiles() ask here.';

create function private.can_see_name(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.can_see_profile(person) or private.has_published_posts(person)
$$;
comment on function private.can_see_name(uuid) is
  'True when the caller may read the person''s name (and only the name, by column grant): whoever may read the full profile, and everyone for the author of a visible post.';

revoke execute on function private.can_see_profile(uuid), private.can_see_name(uuid) from public;
grant execute on function private.can_see_profile(uuid), private.can_see_name(uuid) to anon, authenticated, service_role;

-- =====================================================================================================
-- profiles: names only through the table
-- =====================================================================================================
-- Revoking the table privilege also revokes column privileges; the column grant follows.
revoke select on public.profiles from authenticated;
grant select (id, display_name) on public.profiles to authenticated;

drop policy "people read their own profile" on public.profiles;
drop policy "staff read every profile" on public.profiles;
drop policy "everyone reads the names of post authors" on public.profiles;
create policy "people read the names they may see" on public.profiles
  for select to anon, authenticated using (private.can_see_name(id));

comment on table public.profiles is
  'One row per person who signed in with WeChat. id is the JWT sub of that person. Through the API only id and display_name can be selected (of the rows private.can_see_name allows); every other field is read through public.full_profiles().';

-- =====================================================================================================
-- full profiles
-- =====================================================================================================
create function private.full_profiles() returns setof public.profiles
language sql stable security definer set search_path = ''
as $$
  select p.* from public.profiles p where private.can_see_profile(p.id)
$$;
comment on function private.full_profiles() is
  'Every field of the profiles the caller may read (private.can_see_profile). Security definer because clients may select only names from the table.';
revoke execute on function private.full_profiles() from public;
grant execute on function private.full_profiles() to authenticated;

create function public.full_profiles() returns setof public.profiles
language sql stable security invoker set search_path = ''
as $$
  select * from private.full_profiles()
$$;
comment on function public.full_profiles() is
  'Every field of the profiles the caller may read, as private.can_see_profile decides: their own (我的, onboarding) and the people they look after (角色管理). Filter and order it like a table: rpc(''full_profiles'').select(…).eq(''id'', …).';
revoke execute on function public.full_profiles() from public, anon, service_role;
grant execute on function public.full_profiles() to authenticated;

-- =====================================================================================================
-- RPCs that answer with a profile: read it through full_profiles (the table gives names only)
-- =====================================================================================================
create or replace function public.complete_onboarding(
  display_name text, district text, former_employer text default null, displaced_on date default null,
  startup_intention text default null
) returns public.profiles
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  perform private.complete_onboarding(display_name, district, former_employer, displaced_on, startup_intention);
  select * into v_profile from private.full_profiles() p where p.id = (select auth.uid());
  return v_profile;
end
$$;

create or replace function public.set_user_role(user_id uuid, new_role public.app_role) returns public.profiles
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  perform private.set_user_role(user_id, new_role);
  select * into v_profile from private.full_profiles() p where p.id = set_user_role.user_id;
  return v_profile;
end
$$;
