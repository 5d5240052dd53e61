-- Fix: profile details could be stored without the privacy notice accepted.
-- complete_onboarding refuses a person who has not accepted (or has withdrawn) the privacy notice, but the
-- column grants of the first migrations still let people PATCH their own name and details straight into
-- public.profiles, around that rule (found by the attack review: worker1 stored former_employer right
-- after withdrawing consent). Every edit of one's profile now goes through complete_onboarding (编辑资料
-- reuses it), which checks consent and validates the fields; the table takes no direct writes from people.

-- =====================================================================================================
-- profiles: no direct UPDATE for people
-- =====================================================================================================
revoke update on public.profiles from authenticated;
drop policy "people rename themselves" on public.profiles;

comment on table public.profiles is
  'One row per person who signed in with WeChat. id is the JWT sub of that person. Through the API only id and display_name can be selected (of the rows private.can_see_name allows); every other field is read through public.full_profiles(). People change their own fields only through complete_onboarding (which requires the privacy notice accepted); roles only through set_user_role.';
