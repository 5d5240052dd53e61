-- Fix (Supabase database advisor, unindexed_foreign_keys): role_changes.changed_by references profiles
-- without an index, so deleting or re-keying a profile scanned the whole audit.

-- =====================================================================================================
-- role_changes
-- =====================================================================================================
create index role_changes_changed_by_idx on public.role_changes (changed_by);
comment on index public.role_changes_changed_by_idx is 'Covers the changed_by foreign key (and "what did this admin change").';
