-- Files (issue 9, "content is what it claims"): an uploaded object counts only once the server has
-- read its first bytes and found them to be what its content type claims (the verify-upload edge
-- function, supabase/functions/verify-upload). The verdict is kept per object id *and* version, so a
-- re-upload under the same name (an upsert gives the row a new version) is unverified until checked
-- again. Later issues (chat images, application materials, avatars) accept a file only when
-- private.is_verified_object(bucket, name) says so.

-- =====================================================================================================
-- verdicts
-- =====================================================================================================
-- No foreign key to storage.objects: that table belongs to Supabase Storage (its own migrations, its own
-- owner role), and a verdict for a version that is gone is harmless: every question joins the object's
-- current id and version.
create table private.verified_objects (
  object_id uuid not null,
  version text not null,
  bucket_id text not null,
  name text not null,
  owner_id text not null,
  passed boolean not null,
  kind text check (kind in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  reason text,
  checked_at timestamptz not null default now(),
  primary key (object_id, version),
  constraint verdict_explains_itself check (case when passed then kind is not null and reason is null else reason is not null end)
);
comment on table private.verified_objects is
  'The server''s verdict on an uploaded object''s bytes, per object id and version (a re-upload needs a new check). Written only by the service role through public.record_upload_verdict; read through private.is_verified_object.';
comment on column private.verified_objects.version is
  'storage.objects.version at the time of the check: Storage gives every upload a new one, so a replaced file loses its verdict.';
comment on column private.verified_objects.passed is
  'True when the first bytes are the claimed type within its size limit; failing objects are removed by the function, the row stays as the record of why.';
comment on column private.verified_objects.kind is 'What the first bytes showed (passed only).';
comment on column private.verified_objects.reason is 'The Chinese sentence the person was shown (failed only).';
comment on column private.verified_objects.bucket_id is 'Where the object was when checked; kept for the record after a failing object is removed.';
comment on column private.verified_objects.name is 'The object''s name when checked; kept for the record after a failing object is removed.';
comment on column private.verified_objects.owner_id is 'The uploader (storage.objects.owner_id), who asked for the check.';
comment on column private.verified_objects.checked_at is 'When the function recorded the verdict.';

revoke all on private.verified_objects from public, anon, authenticated;
grant select, insert, update on private.verified_objects to service_role;

-- =====================================================================================================
-- writing a verdict (the verify-upload function, as the service role)
-- =====================================================================================================
create function public.record_upload_verdict(
  p_owner uuid, p_bucket text, p_name text, p_version text, p_passed boolean, p_kind text, p_reason text
) returns void
language plpgsql volatile security invoker set search_path = ''
as $$
declare
  o record;
begin
  -- The row is locked so an upsert cannot slip a new version in between this check and the insert.
  select id, version, owner_id into o from storage.objects
   where bucket_id = p_bucket and name = p_name
   for share;
  if not found then
    raise exception '文件不存在或已被删除' using errcode = 'P0002';
  end if;
  if o.owner_id is distinct from p_owner::text then
    raise exception '只能校验自己上传的文件' using errcode = '42501';
  end if;
  if o.version is distinct from p_version then
    raise exception '文件已被重新上传，请重新校验' using errcode = '55000';
  end if;
  insert into private.verified_objects (object_id, version, bucket_id, name, owner_id, passed, kind, reason)
  values (o.id, o.version, p_bucket, p_name, o.owner_id, p_passed, p_kind, p_reason)
  on conflict (object_id, version) do update
    set passed = excluded.passed, kind = excluded.kind, reason = excluded.reason, checked_at = now();
end
$$;
revoke execute on function public.record_upload_verdict(uuid, text, text, text, boolean, text, text) from public, anon, authenticated;
grant execute on function public.record_upload_verdict(uuid, text, text, text, boolean, text, text) to service_role;
comment on function public.record_upload_verdict(uuid, text, text, text, boolean, text, text) is
  'Records verify-upload''s verdict on the version it read. Service role only: a verdict is the system''s word. Refuses an object that is gone (P0002), not the caller''s (42501) or re-uploaded meanwhile (55000).';

-- =====================================================================================================
-- asking
-- =====================================================================================================
create function private.is_verified_object(bucket text, name text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
      from storage.objects o
      join private.verified_objects v on v.object_id = o.id and v.version = o.version
     where o.bucket_id = $1 and o.name = $2 and v.passed
  )
$$;
revoke execute on function private.is_verified_object(text, text) from public;
grant execute on function private.is_verified_object(text, text) to authenticated, service_role;
comment on function private.is_verified_object(text, text) is
  'True when the object''s current version passed the server''s check. For policies and RPCs of later issues (a chat image, an application material, an avatar counts only when verified); security definer because the verdicts are not readable by people.';

-- Security invoker: the caller's own storage policies find (or hide) the object; only the verdict needs
-- the definer helper above.
create function public.is_own_upload_verified(p_bucket text, p_name text) returns boolean
language sql stable security invoker set search_path = ''
as $$
  select exists (
    select 1 from storage.objects o
     where o.bucket_id = p_bucket and o.name = p_name and o.owner_id = (select auth.uid())::text
  ) and private.is_verified_object(p_bucket, p_name)
$$;
revoke execute on function public.is_own_upload_verified(text, text) from public, anon;
grant execute on function public.is_own_upload_verified(text, text) to authenticated;
comment on function public.is_own_upload_verified(text, text) is
  'Lets a person ask whether their own upload has passed the check (e.g. before attaching it, or to retry verify-upload). False for anything that is not theirs: it tells nobody about other people''s files.';
