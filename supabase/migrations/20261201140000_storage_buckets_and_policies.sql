-- Files (issue 9): the four buckets and who may do what in them. Buckets are rows, so `db push` creates
-- them in production as here. Policies on storage.objects follow the house rule of one permissive
-- policy per role and action (Supabase lint 0006): each one asks a helper that carries the rule for
-- every bucket, so a later issue changes one function, not four policies.
--
-- Paths (the object name inside its bucket):
--   chat-images            <group id>/<uploader id>/<file>        private
--   application-materials  <applicant id>/<application id>/<file> private
--   post-covers            <anything>/<file>                      public read
--   avatars                <person id>/<file>                     public read
-- No segment may be empty, "." or ".." (a name is a key, not a path, but no client should be able to
-- make one look like another person's folder).

-- =====================================================================================================
-- buckets
-- =====================================================================================================
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('chat-images', 'chat-images', false, 10485760, array['image/jpeg', 'image/png', 'image/webp']),
  ('application-materials', 'application-materials', false, 20971520, array['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
  ('post-covers', 'post-covers', true, 10485760, array['image/jpeg', 'image/png', 'image/webp']),
  ('avatars', 'avatars', true, 10485760, array['image/jpeg', 'image/png', 'image/webp'])
on conflict (id) do update set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

-- =====================================================================================================
-- path helpers
-- =====================================================================================================
create function private.is_clean_object_name(name text) returns boolean
language sql immutable set search_path = ''
as $$
  select name is not null
     and name <> ''
     and not ('' = any (string_to_array(name, '/')) or '.' = any (string_to_array(name, '/')) or '..' = any (string_to_array(name, '/')))
$$;
comment on function private.is_clean_object_name(text) is
  'True when no segment of an object name is empty, "." or "..": names that could pass for another folder are refused by every write policy.';

create function private.is_in_own_folder(name text, depth int, own_at int) returns boolean
language sql stable set search_path = ''
as $$
  select private.is_clean_object_name(name)
     and coalesce(array_length(storage.foldername(name), 1), 0) = depth
     and (storage.foldername(name))[own_at] = (select auth.uid())::text
$$;
comment on function private.is_in_own_folder(text, int, int) is
  'True when the name has exactly `depth` folders and folder number `own_at` is the caller''s own id (e.g. avatars: <own id>/<file> is depth 1, position 1).';

-- =====================================================================================================
-- the rules per bucket (one function per action; the policies below only call them)
-- =====================================================================================================
create function private.can_read_object(bucket text, name text, owner_id text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    -- Public buckets: anyone lists and signs what is there (downloads need no policy at all).
    when 'post-covers' then true
    when 'avatars' then true
    -- Groups do not exist yet: the uploader and admins read. The groups issue adds the members.
    when 'chat-images' then owner_id = (select auth.uid())::text or (select private.is_admin())
    -- The applicant reads their own folder; reviewers get short-lived signed URLs made by an admin for
    -- now (the applications issue adds the reviewing butler).
    when 'application-materials' then (storage.foldername(name))[1] = (select auth.uid())::text or (select private.is_admin())
    else false
  end
$$;
comment on function private.can_read_object(text, text, text) is
  'Who may see an object row (list, sign, download from a private bucket, info), per bucket.';

create function private.can_write_object(bucket text, name text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    when 'post-covers' then private.is_clean_object_name(name) and (select private.is_staff())
    when 'avatars' then private.is_in_own_folder(name, 1, 1)
    -- <group id>/<own id>/<file>; the groups issue adds "and a member of the group".
    when 'chat-images' then private.is_in_own_folder(name, 2, 2)
    -- <own id>/<application id>/<file>; the applications issue adds "while the application is editable".
    when 'application-materials' then private.is_in_own_folder(name, 2, 1)
    else false
  end
$$;
comment on function private.can_write_object(text, text) is
  'Who may add an object (insert, and the new row of an upsert or move), per bucket.';

create function private.can_change_object(bucket text, name text, owner_id text) returns boolean
language sql stable set search_path = ''
as $$
  select case bucket
    -- Staff replace or remove covers they uploaded; admins any cover.
    when 'post-covers' then (select private.is_staff()) and (owner_id = (select auth.uid())::text or (select private.is_admin()))
    when 'avatars' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 1, 1)
    when 'chat-images' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 2)
    -- Only the applicant, in their own folder: nobody removes another person's materials. The
    -- applications issue adds "and the application is not submitted".
    when 'application-materials' then owner_id = (select auth.uid())::text and private.is_in_own_folder(name, 2, 1)
    else false
  end
$$;
comment on function private.can_change_object(text, text, text) is
  'Who may replace (upsert, update, move) or delete an existing object, per bucket: its uploader, in their own folder.';

revoke execute on function private.is_clean_object_name(text), private.is_in_own_folder(text, int, int),
  private.can_read_object(text, text, text), private.can_write_object(text, text),
  private.can_change_object(text, text, text) from public;
grant execute on function private.is_clean_object_name(text), private.is_in_own_folder(text, int, int),
  private.can_read_object(text, text, text), private.can_write_object(text, text),
  private.can_change_object(text, text, text) to anon, authenticated, service_role;

-- =====================================================================================================
-- policies on storage.objects
-- =====================================================================================================
create policy "anyone reads objects of public buckets" on storage.objects
  for select to anon using (private.can_read_object(bucket_id, name, owner_id));
create policy "people read the objects their bucket's rule allows" on storage.objects
  for select to authenticated using (private.can_read_object(bucket_id, name, owner_id));
create policy "people add objects where their bucket's rule allows" on storage.objects
  for insert to authenticated with check (private.can_write_object(bucket_id, name) and owner_id = (select auth.uid())::text);
create policy "uploaders replace their own objects" on storage.objects
  for update to authenticated
  using (private.can_change_object(bucket_id, name, owner_id))
  with check (private.can_write_object(bucket_id, name) and owner_id = (select auth.uid())::text);
create policy "uploaders delete their own objects" on storage.objects
  for delete to authenticated using (private.can_change_object(bucket_id, name, owner_id));

comment on policy "anyone reads objects of public buckets" on storage.objects is
  'Anonymous visitors list and sign only what private.can_read_object allows them: the public buckets.';
comment on policy "people read the objects their bucket's rule allows" on storage.objects is
  'Signed-in people see objects by private.can_read_object: public buckets, their own uploads and folders, admins the private buckets.';
comment on policy "people add objects where their bucket's rule allows" on storage.objects is
  'A new object goes only where private.can_write_object allows, owned by the caller (Storage sets owner_id from the token).';
comment on policy "uploaders replace their own objects" on storage.objects is
  'Upsert, update and move: the old row must be the caller''s own (private.can_change_object), the new one allowed like an insert.';
comment on policy "uploaders delete their own objects" on storage.objects is
  'Only the uploader removes an object, in their own folder (private.can_change_object).';
