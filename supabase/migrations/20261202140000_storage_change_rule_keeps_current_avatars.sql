-- Two branches restated private.can_change_object on the same day: 20261202090000_profile_avatars
-- froze the current avatar (nobody replaces or deletes the bytes everyone downloads as someone's
-- avatar), and 20261202110000_group_messages added the chat-voice bucket. The later one was written
-- without the former's avatar rule, so it would have thawed current avatars again. This restates the
-- rule with both: chat-voice as in group messages, avatars frozen while current.
create or replace function private.can_change_object(bucket text, name text, owner_id text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    -- Staff replace or remove covers they uploaded; admins any cover.
    when 'post-covers' then (select private.is_staff()) and (owner_id = (select auth.uid())::text or (select private.is_admin()))
    -- The current avatar keeps the bytes that were verified: set another one first.
    when 'avatars' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 1, 1) and not private.is_current_avatar(name)
    when 'chat-images' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 2)
    when 'chat-voice' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 2)
    -- Only the applicant, in their own folder: nobody removes another person's materials. The
    -- applications issue adds "and the application is not submitted".
    when 'application-materials' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 1)
    else false
  end
$$;
comment on function private.can_change_object(text, text, text) is
  'Who may replace (upsert, update, move) or delete an existing object, per bucket: its uploader, in their own folder; never someone''s current avatar.';
