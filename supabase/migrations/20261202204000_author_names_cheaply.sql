-- Fix (npm run bench, posts): the feed's author names cost more than the feed. Embedding
-- author:profiles!author_id(display_name) asks the profiles policy, private.can_see_name(id), once per
-- row; as a `language sql` function it ran its nested helpers (can_see_profile → is_staff →
-- current_app_role, has_published_posts) through SQL-function calls that are set up and planned anew on
-- every call: about 0.6 ms a row, 13 ms of a 20-row feed page that itself takes 0.5 ms.
--
-- The same rule in PL/pgSQL keeps its expression and the nested functions' plans for the transaction,
-- and asks first whether the person wrote a visible post (true for every name a feed shows): about
-- 0.03 ms a row. Nobody sees more or less than before; private.can_see_profile stays the one place
-- that decides who reads a whole profile (the groups work extends it there).

create or replace function private.can_see_name(person uuid) returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  -- the author of a visible post first: one index probe, and the answer for every name in a feed
  return private.has_published_posts(person) or private.can_see_profile(person);
end
$$;
comment on function private.can_see_name(uuid) is
  'True when the caller may read the person''s name (and only the name, by column grant): whoever may read the full profile, and everyone for the author of a visible post. PL/pgSQL so the nested helpers are planned once per transaction, not once per row.';
