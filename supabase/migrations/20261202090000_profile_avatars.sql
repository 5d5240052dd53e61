-- Avatars (issue 9, "shown to people"): a person's picture beside their name, wherever names appear.
--
-- The picture is an object in the public `avatars` bucket under `<own id>/<file>` (policies of
-- 20261201140000). It becomes the person's avatar only through public.set_my_avatar, which insists on an
-- object in the caller's own folder, uploaded by the caller, whose current version passed verify-upload's
-- check (private.is_verified_object): an .exe renamed .jpg, someone else's file, a file in another
-- bucket or a name with `..` never becomes anyone's face.
--
-- Because the bucket is public, anyone who knows the name downloads whatever bytes are there now. So the
-- object that is someone's current avatar cannot be replaced (upsert, update, move) or deleted: its
-- verified bytes are the ones people see. The next avatar is a new object; set_my_avatar answers the
-- previous name, which is no longer protected, and the app removes it.

-- =====================================================================================================
-- profiles.avatar_path
-- =====================================================================================================
alter table public.profiles add column avatar_path text
  constraint avatar_path_in_own_folder check (
    avatar_path is null
    or (length(avatar_path) <= 300 and split_part(avatar_path, '/', 1) = id::text and private.is_clean_object_name(avatar_path))
  );
comment on column public.profiles.avatar_path is
  'The person''s avatar: an object name in the public avatars bucket, always in their own folder (<id>/<file>) and verified when set. Readable with the name (column grant); written only through public.set_my_avatar.';

-- One person per object (a name starts with its owner's id anyway), and the lookup of
-- private.is_current_avatar below.
create unique index profiles_avatar_path_key on public.profiles (avatar_path) where avatar_path is not null;

-- Whoever may read a person's name sees their avatar beside it (the same rows, by private.can_see_name).
grant select (avatar_path) on public.profiles to anon, authenticated;

-- =====================================================================================================
-- the current avatar is frozen
-- =====================================================================================================
-- Volatile on purpose: a volatile function reads with a fresh snapshot, so an upsert that waited for
-- set_my_avatar's lock on the object sees the avatar that transaction has just committed, and is refused.
create function private.is_current_avatar(name text) returns boolean
language sql volatile security definer set search_path = ''
as $$
  select exists (select 1 from public.profiles p where p.avatar_path = $1)
$$;
comment on function private.is_current_avatar(text) is
  'True when the avatars object is someone''s current avatar (profiles.avatar_path). Security definer: policies ask it for any person, and avatar paths of people one cannot see are not readable. Volatile so a concurrent replacement sees a just-committed avatar.';
revoke execute on function private.is_current_avatar(text) from public;
grant execute on function private.is_current_avatar(text) to anon, authenticated, service_role;

create or replace function private.can_change_object(bucket text, name text, owner_id text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    -- Staff replace or remove covers they uploaded; admins any cover.
    when 'post-covers' then (select private.is_staff()) and (owner_id = (select auth.uid())::text or (select private.is_admin()))
    -- The current avatar keeps the bytes that were verified: set another one first.
    when 'avatars' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 1, 1) and not private.is_current_avatar(name)
    when 'chat-images' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 2)
    -- Only the applicant, in their own folder: nobody removes another person's materials. The
    -- applications issue adds "and the application is not submitted".
    when 'application-materials' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 1)
    else false
  end
$$;
comment on function private.can_change_object(text, text, text) is
  'Who may replace (upsert, update, move) or delete an existing object, per bucket: its uploader, in their own folder; never someone''s current avatar.';

-- =====================================================================================================
-- setting one's avatar
-- =====================================================================================================
create function private.set_my_avatar(p_path text) returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_previous text;
  v_owner text;
begin
  if v_uid is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  select p.avatar_path into v_previous from public.profiles p where p.id = v_uid for update;
  if not found then
    raise exception '账号不存在，请重新登录' using errcode = 'P0002';
  end if;

  if p_path is null then
    update public.profiles set avatar_path = null where id = v_uid;
    return v_previous;
  end if;

  if length(p_path) > 300 or not private.is_in_own_folder(p_path, 1, 1) then
    raise exception '只能使用自己上传的头像' using errcode = '42501';
  end if;
  -- Locked so the object cannot be replaced between this check and the commit (a replacement that
  -- waited then finds it frozen: private.can_change_object).
  select o.owner_id into v_owner from storage.objects o
   where o.bucket_id = 'avatars' and o.name = p_path
   for share;
  if not found then
    raise exception '头像文件不存在，请重新上传' using errcode = 'P0002';
  end if;
  if v_owner is distinct from v_uid::text then
    raise exception '只能使用自己上传的头像' using errcode = '42501';
  end if;
  if not private.is_verified_object('avatars', p_path) then
    raise exception '头像还没有通过安全检查，请重新上传' using errcode = '22023';
  end if;

  update public.profiles set avatar_path = p_path where id = v_uid;
  return case when v_previous is distinct from p_path then v_previous end;
end
$$;
comment on function private.set_my_avatar(text) is
  'Makes a verified object in the caller''s own avatars folder their avatar (null clears it) and answers the previous one for removal. Security definer: people have no UPDATE on profiles.';
revoke execute on function private.set_my_avatar(text) from public;
grant execute on function private.set_my_avatar(text) to authenticated;

create function public.set_my_avatar(p_path text) returns text
language sql volatile security invoker set search_path = ''
as $$
  select private.set_my_avatar(p_path)
$$;
comment on function public.set_my_avatar(text) is
  'Sets the caller''s avatar to an object they uploaded to avatars/<own id>/ and verify-upload passed; null clears it. Answers the previous avatar''s name (null when none or unchanged) so the app removes that object. Refuses: not signed in or not their file or another folder (42501), no such object (P0002), not verified (22023).';
revoke execute on function public.set_my_avatar(text) from public, anon, service_role;
grant execute on function public.set_my_avatar(text) to authenticated;

-- =====================================================================================================
-- verify-upload removes only the version that failed
-- =====================================================================================================
-- verify-upload records a failing verdict on the version it read, then removes the object through the
-- Storage API as the caller. If the person re-uploads under the same name in between, a plain removal
-- would delete the new, perhaps valid, version. Storage's remove has no version condition of its own,
-- but Storage runs every statement with the request's headers in `request.headers` (as PostgREST does),
-- so the function sends `x-remove-version: <the failing version>` and the delete policy compares it
-- with the row's version inside the DELETE itself: a replaced row no longer matches and stays.
create function private.is_expected_version(version text) returns boolean
language sql stable set search_path = ''
as $$
  select coalesce(nullif(current_setting('request.headers', true), '')::json ->> 'x-remove-version', $1) is not distinct from $1
$$;
comment on function private.is_expected_version(text) is
  'True unless the request names another version in its x-remove-version header: a removal that asks for one version never deletes a newer one. A header only narrows what a person may delete, never widens it.';
revoke execute on function private.is_expected_version(text) from public;
grant execute on function private.is_expected_version(text) to anon, authenticated, service_role;

drop policy "uploaders delete their own objects" on storage.objects;
create policy "uploaders delete their own objects" on storage.objects
  for delete to authenticated using (private.can_change_object(bucket_id, name, owner_id) and private.is_expected_version(version));
comment on policy "uploaders delete their own objects" on storage.objects is
  'Only the uploader removes an object, in their own folder (private.can_change_object), and only the version the request names when it names one (private.is_expected_version).';
