-- The monthly batch's other tables (issue 12, batches-db): the audit of roster exports, objections
-- raised during the 公示, and the butlers' incubation-base visits (走访记录) with their photos.
--
-- As everywhere in the applications issue, clients have SELECT only; every change goes through the RPCs
-- of 20261203160000_batch_operations.sql and 20261203170000_incubation_visits.sql.

-- =====================================================================================================
-- exports: who took the roster, with its resident IDs, out of the system, and when
-- =====================================================================================================
create table public.batch_exports (
  id bigint generated always as identity primary key,
  batch_id uuid not null references public.application_batches (id) on delete cascade,
  actor_id uuid references public.profiles (id) on delete set null,
  rows integer not null check (rows >= 0),
  created_at timestamptz not null default now()
);
comment on table public.batch_exports is
  'Append-only audit of roster exports (导出名册, with full resident IDs): one row per export, written by batch_export_rows / batch_export in the same call. Read by the street''s butlers (as the batch) and admins; nobody changes it.';
create index batch_exports_batch_idx on public.batch_exports (batch_id, created_at desc);
create index batch_exports_actor_idx on public.batch_exports (actor_id);

create trigger batch_exports_append_only before update or delete on public.batch_exports
  for each row execute function private.refuse_history_rewrite();

-- =====================================================================================================
-- objections (公示异议)
-- =====================================================================================================
create table public.batch_objections (
  id uuid primary key default gen_random_uuid(),
  batch_id uuid not null references public.application_batches (id) on delete cascade,
  application_id uuid references public.applications (id) on delete set null,
  raised_by uuid references public.profiles (id) on delete set null,
  body text not null check (char_length(body) between 5 and 500),
  answer text check (char_length(answer) between 2 and 500),
  answered_by uuid references public.profiles (id) on delete set null,
  answered_at timestamptz,
  created_at timestamptz not null default now(),
  constraint answered_says_when check ((answer is null) = (answered_at is null))
);
comment on table public.batch_objections is
  '公示异议: raised by anyone signed in while a locked batch''s publicity window is open (raise_objection), about the batch or one application in it; the street''s butlers answer (answer_objection), and the batch cannot be filed while one is unanswered. Read by the raiser (their own), the street''s butlers and admins.';
comment on column public.batch_objections.application_id is 'The listed application the objection is about; null for the batch as a whole.';
create index batch_objections_batch_idx on public.batch_objections (batch_id, created_at);
create index batch_objections_open_idx on public.batch_objections (batch_id) where answered_at is null;
create index batch_objections_application_idx on public.batch_objections (application_id);
create index batch_objections_raiser_idx on public.batch_objections (raised_by, created_at desc);
create index batch_objections_answered_by_idx on public.batch_objections (answered_by);

-- =====================================================================================================
-- incubation-base visits (走访记录)
-- =====================================================================================================
create table public.incubation_visits (
  id uuid primary key default gen_random_uuid(),
  butler_id uuid not null references public.profiles (id) on delete cascade,
  street text not null check (char_length(btrim(street)) between 1 and 40),
  base_name text not null check (char_length(btrim(base_name)) between 2 and 60),
  visited_on date not null check (visited_on >= date '2000-01-01'),
  people_met text not null default '' check (char_length(people_met) <= 500),
  notes text not null default '' check (char_length(notes) <= 4000),
  photo_paths text[] not null default '{}' check (cardinality(photo_paths) <= 9),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.incubation_visits is
  '走访记录: a butler''s visit to an incubation base of their street (date, base, people met, notes, photos in the visit-photos bucket under <butler>/<visit id>/). Read by the street''s butlers and admins; written by its butler through save_visit.';
comment on column public.incubation_visits.photo_paths is 'Verified objects of the visit-photos bucket, <butler>/<visit id>/<file>, at most 9.';
create index incubation_visits_street_idx on public.incubation_visits (street, visited_on desc);
create index incubation_visits_butler_idx on public.incubation_visits (butler_id, visited_on desc);
create index incubation_visits_photos_idx on public.incubation_visits using gin (photo_paths);

create trigger incubation_visits_touch before update on public.incubation_visits
  for each row execute function private.touch_updated_at();

create table public.visit_applications (
  visit_id uuid not null references public.incubation_visits (id) on delete cascade,
  application_id uuid not null references public.applications (id) on delete cascade,
  linked_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (visit_id, application_id)
);
comment on table public.visit_applications is
  'Applications collected at a visit (link_visit_application). Read as the visit.';
create index visit_applications_application_idx on public.visit_applications (application_id);
create index visit_applications_linked_by_idx on public.visit_applications (linked_by);

-- =====================================================================================================
-- grants and policies: SELECT only
-- =====================================================================================================
alter table public.batch_exports enable row level security;
alter table public.batch_objections enable row level security;
alter table public.incubation_visits enable row level security;
alter table public.visit_applications enable row level security;

revoke all on public.batch_exports, public.batch_objections, public.incubation_visits, public.visit_applications
  from anon, authenticated;
revoke update, delete, truncate on public.batch_exports from service_role;
grant select on public.batch_exports, public.batch_objections, public.incubation_visits, public.visit_applications
  to authenticated;

-- application_batches' own policy (the street's butlers, admins) decides through the sub-select.
create policy "exports are read as their batch" on public.batch_exports
  for select to authenticated using (exists (select 1 from public.application_batches b where b.id = batch_id));

create policy "raisers read their own objections, the street's butlers and admins all of the batch" on public.batch_objections
  for select to authenticated using (
    raised_by = (select auth.uid()) or exists (select 1 from public.application_batches b where b.id = batch_id)
  );

create policy "the street's butlers and admins read its visits" on public.incubation_visits
  for select to authenticated using (private.is_street_butler(street) or (select private.is_admin()));

create policy "links are read as their visit" on public.visit_applications
  for select to authenticated using (exists (select 1 from public.incubation_visits v where v.id = visit_id));

-- =====================================================================================================
-- the visit-photos bucket (rules: 20261203180000_visit_photos_storage.sql)
-- =====================================================================================================
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('visit-photos', 'visit-photos', false, 10485760, array['image/jpeg', 'image/png', 'image/webp'])
on conflict (id) do update set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;
