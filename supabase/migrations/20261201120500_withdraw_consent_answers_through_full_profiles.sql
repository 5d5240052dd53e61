-- Fix: withdraw_privacy_consent() answered with `select * from public.profiles`, which the column grant
-- of 20261201100000_profiles_show_others_only_names no longer allows people (names only); the two
-- changes were written side by side. Read the caller's profile through private.full_profiles(), as
-- complete_onboarding and set_user_role do.

create or replace function public.withdraw_privacy_consent() returns public.profiles
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  perform private.withdraw_privacy_consent();
  select * into v_profile from private.full_profiles() p where p.id = (select auth.uid());
  return v_profile;
end
$$;
comment on function public.withdraw_privacy_consent() is
  '撤回同意 of the privacy notice, for the caller (no argument names anyone else): returns the profile as it is now, emptied, read through private.full_profiles(). Doing it twice records one withdrawal.';
