-- Application materials in Storage (issue 12): the bucket application-materials holds
-- <applicant>/<application id>/<file>. Until now anyone could fill their own folder and only the
-- applicant and admins could read it. Now:
--   read    the applicant, the butlers of the application's group (they review it, through short-lived
--           signed URLs), admins;
--   write   only the applicant, only into the folder of their own application while it is editable
--           (草稿, or 待补正), and never under the name of a file attached to it (its bytes were verified
--           as they are: replacing them would swap what the reviewer sees);
--   change  (replace, move, delete) the same, for files not attached: detach first
--           (remove_application_material), which the 补正 allows only for listed materials.
-- This restates private.can_read_object, can_write_object and can_change_object in full (the rule of
-- 20261202140000 and 20261202311000): every other bucket keeps its rule word for word.

create function private.can_review_application_folder(p_name text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.applications a
     where a.id = private.uuid_or_null((storage.foldername(p_name))[2])
       and a.applicant_id::text = (storage.foldername(p_name))[1]
       and a.status <> 'draft'
       and (a.group_id in (select private.my_review_group_ids()) or private.is_admin())
  )
$$;
comment on function private.can_review_application_folder(text) is
  'True when the object lies in the folder of an application the caller reviews (butler of its group, admin).';

create function private.is_editable_application_object(p_name text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select private.is_in_own_folder(p_name, 2, 1)
     and exists (
       select 1 from public.applications a
        where a.id = private.uuid_or_null((storage.foldername(p_name))[2])
          and a.applicant_id = (select auth.uid())
          and a.status in ('draft', 'needs_supplement'))
     and not exists (select 1 from public.application_materials m where m.object_path = p_name)
$$;
comment on function private.is_editable_application_object(text) is
  'True when the caller may write this name: in their own application''s folder, the application still editable, and no material attached under the name.';

create index application_materials_object_path_idx on public.application_materials (object_path);
comment on index public.application_materials_object_path_idx is 'The storage rule asks whether an object name is an attached material.';

revoke execute on function private.can_review_application_folder(text), private.is_editable_application_object(text) from public;
grant execute on function private.can_review_application_folder(text), private.is_editable_application_object(text)
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
    else false
  end
$$;

revoke execute on all functions in schema private from public;
