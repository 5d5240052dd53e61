-- Fix: "staff read every profile" let every butler read every worker's profile, while the privacy notice
-- promises the fields only to "为您服务的创业管家".
--
-- Groups do not exist yet, so no butler serves anyone in particular: until they do, a full profile is
-- read by the person themselves and by admins only. The groups issue adds "butlers of one of the
-- person's groups" here, in private.can_see_profile, and nowhere else: the profiles policy (names),
-- public.full_profiles() and the RPCs that answer with a profile all ask this helper.

-- =====================================================================================================
-- who may read a full profile
-- =====================================================================================================
create or replace function private.can_see_profile(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce(person = (select auth.uid()), false) or private.is_admin()
$$;
comment on function private.can_see_profile(uuid) is
  'True when the caller may read every field of the person''s profile: the person themselves and admins (later also the butlers of the person''s groups). The one place that decides it; policies and public.full_profiles() ask here.';
