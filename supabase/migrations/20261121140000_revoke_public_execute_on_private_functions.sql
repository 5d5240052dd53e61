-- Fix: every function in `private` was executable by PUBLIC, so by anon and by any role at all.
--
-- The first migration meant to prevent this with
--   alter default privileges in schema private revoke execute on functions from public;
-- but that statement does nothing: per-schema default privileges can only add to the global defaults,
-- and the global default grants EXECUTE on every new function to PUBLIC. The helpers were also granted
-- by name to the API roles, which hid the problem; the ones meant for `authenticated` alone
-- (private.set_user_role, private.complete_onboarding) and the trigger functions were open to everyone
-- who can reach the database. Found by tests/db/schema-lint.test.ts ("no function in private is
-- executable by PUBLIC"), which now holds every future private function to an explicit revoke.
--
-- Grants made by name (anon, authenticated, service_role) stay as they are. Trigger functions need no
-- EXECUTE grant to fire: PostgreSQL checks it only when the trigger is created.

revoke execute on all functions in schema private from public;
