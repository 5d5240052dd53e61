-- Fix: marking notifications read needs an explicit choice.
-- `mark_notifications_read(ids default null)` marked every message read when called with no arguments,
-- and PostgREST calls a function with no arguments for an empty JSON array body (`[]`), so a stray or
-- malformed call silently emptied the message centre. Now the ids are required (a null or empty list
-- changes nothing) and "all" has its own function, which the 全部已读 button calls.

-- =====================================================================================================
-- some: the listed ids only
-- =====================================================================================================
drop function public.mark_notifications_read(bigint[]);

create function public.mark_notifications_read(ids bigint[]) returns integer
language sql volatile security invoker set search_path = ''
as $$ select private.mark_notifications_read(coalesce(ids, '{}'::bigint[])) $$;
comment on function public.mark_notifications_read(bigint[]) is
  'Mark the listed notifications of mine read (a null or empty list changes nothing); returns how many changed. For all of them call mark_all_notifications_read().';
revoke execute on function public.mark_notifications_read(bigint[]) from public, anon;
grant execute on function public.mark_notifications_read(bigint[]) to authenticated;

-- =====================================================================================================
-- all: the 全部已读 button
-- =====================================================================================================
create function public.mark_all_notifications_read() returns integer
language sql volatile security invoker set search_path = ''
as $$ select private.mark_notifications_read(null) $$;
comment on function public.mark_all_notifications_read() is
  'Mark every unread notification of mine read (全部已读); returns how many changed.';
revoke execute on function public.mark_all_notifications_read() from public, anon;
grant execute on function public.mark_all_notifications_read() to authenticated;
