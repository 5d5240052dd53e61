-- Attack round 2 (tests/db/attack-round2.test.ts): a member swapped a chat image after WeChat had
-- checked it. The message names its file by object name only, and the uploader could overwrite that
-- object (upload with upsert) or remove it and upload other bytes under the same name; the group then
-- read the new bytes through the published message, which nothing checked again.
--
-- Now the name of a chat image or voice clip that a message refers to is spent: no new object and no
-- replacement may take it (the insert and update rules of storage.objects both ask can_write_object).
-- Removing one's own file stays allowed (the message then shows a missing image); a withdrawn message
-- has no media_path any more, so its name is free again.

create index group_messages_media_path_idx on public.group_messages (media_path) where media_path is not null;
comment on index public.group_messages_media_path_idx is 'Storage''s write rule asks whether a chat object''s name belongs to a message (private.is_message_media).';

create function private.is_message_media(p_name text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.group_messages m where m.media_path = p_name)
$$;
comment on function private.is_message_media(text) is
  'True when a group message refers to this chat-images / chat-voice object name: its bytes were checked as they are, so the name may not be written again. Security definer: the rule asks about messages the caller may not read (a pending one of someone else never shares the uploader''s folder, but the rule must not depend on that).';
revoke execute on function private.is_message_media(text) from public;
grant execute on function private.is_message_media(text) to authenticated, service_role;

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
    -- <own id>/<application id>/<file>; the applications issue adds "while the application is editable".
    when 'application-materials' then private.is_in_own_folder(name, 2, 1)
    else false
  end
$$;

revoke execute on all functions in schema private from public;
