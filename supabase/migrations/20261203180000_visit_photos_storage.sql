-- Visit photos in Storage (issue 12, batches-db): the private bucket visit-photos (created in
-- 20261203150000_batches_schema.sql) holds <butler>/<visit id>/<file>.
--   read    the uploader, the butlers of the visit's street, admins;
--   write   staff, into their own folder, for a visit that does not exist yet (the app uploads before the
--           first save) or is their own, and never under the name of a photo a saved visit shows;
--   change  (replace, move, delete) the uploader, for photos no saved visit shows.
-- This restates private.can_read_object, can_write_object and can_change_object in full, as
-- 20261203130000_application_materials_storage.sql left them, with the visit-photos rule added: every
-- other bucket keeps its rule word for word.

create function private.can_read_visit_folder(p_name text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.incubation_visits v
     where v.id = private.uuid_or_null((storage.foldername(p_name))[2])
       and v.butler_id::text = (storage.foldername(p_name))[1]
       and private.is_street_butler(v.street)
  )
$$;
comment on function private.can_read_visit_folder(text) is
  'True when the object lies in the folder of a visit of a street the caller is a butler of.';

create function private.is_writable_visit_object(p_name text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.is_in_own_folder(p_name, 2, 1)
     and private.is_staff()
     and private.uuid_or_null((storage.foldername(p_name))[2]) is not null
     and not exists (
       select 1 from public.incubation_visits v
        where v.id = private.uuid_or_null((storage.foldername(p_name))[2]) and v.butler_id <> (select auth.uid()))
     and not exists (select 1 from public.incubation_visits v where v.photo_paths @> array[p_name])
$$;
comment on function private.is_writable_visit_object(text) is
  'True when the caller (staff) may write this name: in their own folder, for a visit that is new or theirs, and no saved visit shows a photo under the name.';

revoke execute on function private.can_read_visit_folder(text), private.is_writable_visit_object(text) from public;
grant execute on function private.can_read_visit_folder(text), private.is_writable_visit_object(text)
  to anon, authenticated, service_role;

create or replace function private.can_read_object(bucket text, name text, owner_id text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    -- Public buckets: anyone lists and signs what is there (downloads need no policy at all).
    when 'post-covers' then true
    when 'avatars' then true
    -- <group id>/<uploader id>/<file>: the members of the group; the uploader and admins also after
    -- the uploader left.
    when 'chat-images' then private.is_group_member(private.uuid_or_null((storage.foldername(name))[1]))
                            or owner_id = (select auth.uid())::text or (select private.is_admin())
    when 'chat-voice' then private.is_group_member(private.uuid_or_null((storage.foldername(name))[1]))
                           or owner_id = (select auth.uid())::text or (select private.is_admin())
    -- <applicant>/<application>/<file>: the applicant, the butlers reviewing the application, admins.
    when 'application-materials' then (storage.foldername(name))[1] = (select auth.uid())::text
                                      or private.can_review_application_folder(name)
    -- <butler>/<visit id>/<file>: the uploader, the butlers of the visit's street, admins.
    when 'visit-photos' then owner_id = (select auth.uid())::text or (select private.is_admin())
                             or private.can_read_visit_folder(name)
    else false
  end
$$;

create or replace function private.can_write_object(bucket text, name text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    when 'post-covers' then private.is_clean_object_name(name) and (select private.is_staff())
    when 'avatars' then private.is_in_own_folder(name, 1, 1)
    -- <group id>/<own id>/<file>, only in a group the uploader is in, and never under the name of a file
    -- a message already sent (its bytes were checked as they were).
    when 'chat-images' then private.is_in_own_folder(name, 2, 2)
                            and private.is_group_member(private.uuid_or_null((storage.foldername(name))[1]))
                            and not private.is_message_media(name)
    when 'chat-voice' then private.is_in_own_folder(name, 2, 2)
                           and private.is_group_member(private.uuid_or_null((storage.foldername(name))[1]))
                           and not private.is_message_media(name)
    -- <own id>/<own application id>/<file> while the application is editable, never an attached name.
    when 'application-materials' then private.is_editable_application_object(name)
    -- <own id>/<visit id>/<file> by staff, into a visit that is new or their own, never under the name
    -- of a photo a saved visit shows (its bytes were verified as they are).
    when 'visit-photos' then private.is_writable_visit_object(name)
    else false
  end
$$;

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
    -- Only the applicant, while the application is editable, and only files not attached to it.
    when 'application-materials' then owner_id = (select auth.uid())::text and private.is_editable_application_object(name)
    -- The uploader, for photos no saved visit shows: take it off the visit first (save_visit).
    when 'visit-photos' then owner_id = (select auth.uid())::text and private.is_writable_visit_object(name)
    else false
  end
$$;

revoke execute on all functions in schema private from public;
