-- Subsidy applications (issue 12), the schema: the programme catalogue, applications with their
-- materials, append-only history and the record of who revealed a full resident ID or bank account, and
-- the monthly batches (集中申报) approved applications join.
--
-- Money and personal data meet here, so every rule is the database's: clients have SELECT only (and on
-- applications not even that on the resident ID and the bank account: those come through
-- application_sensitive, which records a reviewer's 查看); every change goes through the RPCs of
-- 20261203110000_application_rpcs.sql, which check the transition, lock the row and append an event.

-- =====================================================================================================
-- types
-- =====================================================================================================
create type public.application_status as enum (
  'draft', 'submitted', 'under_review', 'needs_supplement', 'approved', 'rejected', 'filed', 'disbursed', 'not_disbursed'
);
comment on type public.application_status is
  '草稿 draft → 已提交 submitted → 审核中 under_review → 待补正 needs_supplement (back to submitted on resubmission) | 已通过 approved → 已申报 filed → 已发放 disbursed | 未发放 not_disbursed; or 未通过 rejected.';

create type public.batch_status as enum ('open', 'locked', 'filed', 'closed');
comment on type public.batch_status is
  '收件中 open (approved applications join) → 已截止(公示中) locked at the cut-off → 已申报 filed with the bureau → 已办结 closed when every application is settled.';

-- =====================================================================================================
-- helpers the policies use
-- =====================================================================================================
create function private.my_review_group_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.group_id from public.group_members m
   where m.user_id = (select auth.uid()) and m.role = 'butler' and private.is_staff()
$$;
comment on function private.my_review_group_ids() is
  'The groups whose members'' applications the caller reviews: those they are a butler of, while staff. Policies use `group_id in (select private.my_review_group_ids())`, evaluated once per query.';

create function private.is_street_butler(p_street text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.groups g
     where g.district = p_street and g.id in (select private.my_review_group_ids())
  )
$$;
comment on function private.is_street_butler(text) is
  'True when the caller is a butler of a group of that street (groups.district): the street''s monthly batch is theirs to see and file.';

create function private.mask_middle(p_value text) returns text
language sql immutable parallel safe set search_path = ''
as $$
  select case when p_value is null then null
              when char_length(p_value) <= 8 then repeat('*', char_length(p_value))
              else left(p_value, 4) || repeat('*', char_length(p_value) - 8) || right(p_value, 4) end
$$;
comment on function private.mask_middle(text) is 'A resident ID as reviewers see it: first four and last four characters (3201**********1234).';

create function private.mask_name(p_name text) returns text
language sql immutable parallel safe set search_path = ''
as $$
  select case when p_name is null then null
              when char_length(p_name) <= 1 then p_name
              when char_length(p_name) = 2 then left(p_name, 1) || '*'
              else left(p_name, 1) || repeat('*', char_length(p_name) - 2) || right(p_name, 1) end
$$;
comment on function private.mask_name(text) is 'A name as the public list (公示) shows it: 张*德, 张* for two characters.';

revoke execute on function private.my_review_group_ids(), private.is_street_butler(text),
  private.mask_middle(text), private.mask_name(text) from public;
grant execute on function private.my_review_group_ids(), private.is_street_butler(text),
  private.mask_middle(text), private.mask_name(text) to authenticated, service_role;
-- Storage rules are planned for anon as well (public buckets): the application-materials rule names
-- my_review_group_ids, so anon may execute it (it finds nothing without a signed-in person).
grant execute on function private.my_review_group_ids() to anon;

-- =====================================================================================================
-- programmes
-- =====================================================================================================
create table public.subsidy_programmes (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[a-z][a-z0-9_]{2,39}$'),
  name text not null check (char_length(btrim(name)) between 2 and 40),
  summary text not null default '' check (char_length(summary) <= 200),
  description text not null default '' check (char_length(description) <= 4000),
  amount_rule text not null default '' check (char_length(amount_rule) <= 500),
  default_amount numeric(12, 2) check (default_amount > 0),
  max_amount numeric(12, 2) not null check (max_amount > 0),
  opens_on date not null default current_date,
  closes_on date,
  eligibility jsonb not null default '[]' check (jsonb_typeof(eligibility) = 'array' and pg_column_size(eligibility) <= 8192),
  materials jsonb not null default '[]' check (jsonb_typeof(materials) = 'array' and pg_column_size(materials) <= 16384),
  sort_order int not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint programme_period_in_order check (closes_on is null or closes_on >= opens_on),
  constraint default_within_max check (default_amount is null or default_amount <= max_amount)
);
comment on table public.subsidy_programmes is
  'The catalogue of subsidy programmes (补贴项目), edited by admins through save_subsidy_programme. Everyone reads the active ones (the self-check, the programme pages); admins read all.';
comment on column public.subsidy_programmes.amount_rule is 'How the amount is worked out, in Chinese, as the worker reads it (e.g. 每带动1人就业补贴2000元).';
comment on column public.subsidy_programmes.max_amount is 'The most a butler may approve for one application.';
comment on column public.subsidy_programmes.opens_on is 'Applications are submitted from this day (Asia/Shanghai).';
comment on column public.subsidy_programmes.closes_on is 'The last day applications are submitted; null while open-ended.';
comment on column public.subsidy_programmes.eligibility is
  'Rules, each {"rule": kind, "value"?: number}; kinds: displaced_worker, has_business, registered_within_months, social_insurance_months, employees_at_least, in_incubation_base, has_lease, not_granted_before. Read by eligibility_check.';
comment on column public.subsidy_programmes.materials is
  'Required materials, each {"key","name","kind": photo|pdf|photo_or_pdf,"required","max_files","example","hint"}; an application attaches files under these keys.';
create index subsidy_programmes_order_idx on public.subsidy_programmes (sort_order, name);

create trigger subsidy_programmes_touch before update on public.subsidy_programmes
  for each row execute function private.touch_updated_at();

-- =====================================================================================================
-- monthly batches (集中申报): the table; the jobs, export and filing are 20261203150000+ (batches-db)
-- =====================================================================================================
create table public.application_batches (
  id uuid primary key default gen_random_uuid(),
  street text not null check (char_length(btrim(street)) between 1 and 40),
  month date not null check (extract(day from month) = 1),
  cutoff_at timestamptz not null,
  status public.batch_status not null default 'open',
  locked_at timestamptz,
  publicity_until timestamptz,
  filed_at timestamptz,
  filed_by uuid references public.profiles (id) on delete set null,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  unique (street, month),
  constraint locked_batches_say_when check (status = 'open' or locked_at is not null),
  constraint filed_batches_say_when check (status not in ('filed', 'closed') or filed_at is not null)
);
comment on table public.application_batches is
  'One batch per street (groups.district) and month: approved applications join the open one; at cutoff_at it locks (公示 until publicity_until), is filed with the human-resources bureau, and closes when every application is settled. Read by the street''s butlers and admins; written only by the RPCs and the job.';
comment on column public.application_batches.month is 'The first day of the month the batch is for (Asia/Shanghai).';
comment on column public.application_batches.cutoff_at is 'When the batch stops taking applications: by default the 25th of the month at 17:30 Asia/Shanghai (private.batch_cutoff).';
comment on column public.application_batches.publicity_until is 'End of the 公示 objection window: locked_at + 5 days by default.';
create index application_batches_filed_by_idx on public.application_batches (filed_by);
create index application_batches_open_cutoff_idx on public.application_batches (cutoff_at) where status = 'open';

create function private.batch_cutoff(p_month date) returns timestamptz
language sql stable set search_path = ''
as $$
  select ((date_trunc('month', p_month)::date + 24) + time '17:30') at time zone 'Asia/Shanghai'
$$;
comment on function private.batch_cutoff(date) is 'The default cut-off of a month''s batch: the 25th at 17:30, Shanghai time.';
revoke execute on function private.batch_cutoff(date) from public;
grant execute on function private.batch_cutoff(date) to authenticated, service_role;

-- =====================================================================================================
-- applications
-- =====================================================================================================
create table public.applications (
  id uuid primary key default gen_random_uuid(),
  applicant_id uuid not null references public.profiles (id) on delete cascade,
  programme_id uuid not null references public.subsidy_programmes (id),
  group_id uuid not null references public.groups (id),
  street text not null,
  status public.application_status not null default 'draft',
  consent_notice_version text check (char_length(consent_notice_version) between 1 and 40),
  consented_at timestamptz,
  real_name text check (char_length(real_name) between 2 and 20),
  resident_id text check (resident_id ~ '^[0-9]{17}[0-9X]$'),
  phone text check (phone ~ '^1[3-9][0-9]{9}$'),
  bank_name text check (char_length(bank_name) between 2 and 40),
  bank_account text check (bank_account ~ '^[0-9]{12,30}$'),
  business_name text check (char_length(business_name) between 2 and 60),
  credit_code text check (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
  credit_code_needs_review boolean not null default false,
  registered_on date check (registered_on >= date '1980-01-01'),
  employees int check (employees between 0 and 9999),
  requested_amount numeric(12, 2) check (requested_amount > 0),
  approved_amount numeric(12, 2) check (approved_amount > 0),
  supplement jsonb check (supplement is null or (jsonb_typeof(supplement) = 'array' and pg_column_size(supplement) <= 8192)),
  reject_reason text check (char_length(reject_reason) <= 500),
  reviewer_id uuid references public.profiles (id) on delete set null,
  batch_id uuid references public.application_batches (id),
  submitted_at timestamptz,
  decided_at timestamptz,
  disbursed_at timestamptz,
  disburse_note text check (char_length(disburse_note) <= 500),
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  resident_id_masked text,
  bank_account_masked text,
  real_name_masked text,
  constraint consent_says_when check ((consent_notice_version is null) = (consented_at is null)),
  constraint submitted_says_when check (status = 'draft' or submitted_at is not null),
  constraint approved_has_amount check (status not in ('approved', 'filed', 'disbursed', 'not_disbursed') or approved_amount is not null),
  constraint approved_is_in_a_batch check (status not in ('approved', 'filed', 'disbursed', 'not_disbursed') or batch_id is not null),
  constraint rejected_has_reason check (status <> 'rejected' or reject_reason is not null),
  constraint supplement_only_while_needed check ((status = 'needs_supplement') = (supplement is not null))
);
comment on table public.applications is
  '补贴申报: one person''s application for one programme, reviewed by the butlers of group_id. Read by the applicant, and once submitted by the group''s butlers and admins (a draft is the applicant''s alone) — except resident_id and bank_account, which nobody selects through the API (application_sensitive gives them, recording a reviewer''s 查看). Written only through the application RPCs.';
comment on column public.applications.group_id is 'The applicant''s group whose butlers review it (the applicant was a member when creating it).';
comment on column public.applications.street is 'groups.district at creation: the key of the monthly batch the application joins once approved.';
comment on column public.applications.consent_notice_version is 'The version of the sensitive-data notice the applicant agreed to (separate consent, recorded with consented_at).';
comment on column public.applications.resident_id is 'Resident ID, 18 characters, GB 11643 check digit verified. No column privilege for API roles: see application_sensitive.';
comment on column public.applications.bank_account is 'Bank account digits for the payment. No column privilege for API roles: see application_sensitive.';
comment on column public.applications.credit_code_needs_review is 'The unified social credit code failed the GB 32100 check digit: flagged for a butler to check by hand, not refused (some real codes fail it).';
comment on column public.applications.supplement is
  'The open 补正 list while needs_supplement: [{"kind": "field"|"material", "key", "note"}]; only these items may change until resubmission.';
comment on column public.applications.version is 'Bumped on every change, so a client sees that its copy is stale and submit knows whether anything changed since.';
comment on column public.applications.resident_id_masked is 'The resident ID as everyone sees it: 3201**********1234.';
comment on column public.applications.bank_account_masked is 'The bank account as everyone sees it: ****1234.';
comment on column public.applications.real_name_masked is 'The name as the 公示 shows it: 张*德.';

create index applications_applicant_idx on public.applications (applicant_id, created_at desc);
create index applications_group_queue_idx on public.applications (group_id, submitted_at desc, id) where status <> 'draft';
create index applications_group_status_idx on public.applications (group_id, status, submitted_at desc);
create index applications_queue_idx on public.applications (submitted_at desc, id) where status <> 'draft';
create index applications_programme_idx on public.applications (programme_id);
create index applications_reviewer_idx on public.applications (reviewer_id);
create index applications_batch_idx on public.applications (batch_id, status);
create unique index applications_one_live_per_programme_idx on public.applications (applicant_id, programme_id)
  where status not in ('rejected', 'not_disbursed');
comment on index public.applications_one_live_per_programme_idx is
  'One live application per person and programme: a new one only after a rejection or a payment that did not happen.';

create trigger applications_touch before update on public.applications
  for each row execute function private.touch_updated_at();

-- Kept by a trigger rather than generated columns, so the masked values are ordinary columns any copy of
-- the table (backups, test snapshots) carries as they are.
create function private.mask_application() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.resident_id_masked := private.mask_middle(new.resident_id);
  new.bank_account_masked := case when new.bank_account is null then null else '****' || right(new.bank_account, 4) end;
  new.real_name_masked := private.mask_name(new.real_name);
  return new;
end
$$;
comment on function private.mask_application() is 'Keeps the masked columns of an application in step with the full values.';
revoke execute on function private.mask_application() from public;

create trigger applications_mask before insert or update on public.applications
  for each row execute function private.mask_application();

-- =====================================================================================================
-- materials, history, reveals
-- =====================================================================================================
create table public.application_materials (
  id uuid primary key default gen_random_uuid(),
  application_id uuid not null references public.applications (id) on delete cascade,
  material_key text not null check (material_key ~ '^[a-z][a-z0-9_]{1,39}$'),
  object_path text not null check (char_length(object_path) <= 300),
  mime text not null check (mime in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size bigint not null check (size between 1 and 20971520),
  created_at timestamptz not null default now(),
  unique (application_id, object_path)
);
comment on table public.application_materials is
  'Files attached to an application under one of its programme''s material keys: verified objects of the application-materials bucket (<applicant>/<application>/<file>). Read as the application; written through attach_application_material / remove_application_material.';
comment on column public.application_materials.mime is 'What verify-upload found the bytes to be.';
create index application_materials_application_idx on public.application_materials (application_id, material_key);

create table public.application_events (
  id bigint generated always as identity primary key,
  application_id uuid not null references public.applications (id) on delete cascade,
  actor_id uuid references public.profiles (id) on delete set null,
  from_status public.application_status,
  to_status public.application_status not null,
  note text not null default '' check (char_length(note) <= 500),
  detail jsonb not null default '{}' check (pg_column_size(detail) <= 8192),
  created_at timestamptz not null default now()
);
comment on table public.application_events is
  'Append-only history of every application transition (actor — null for the system —, from, to, note, detail): the timeline. Read as the application; written only by the RPCs and jobs; nobody updates or deletes it through the API.';
create index application_events_application_idx on public.application_events (application_id, id);
create index application_events_actor_idx on public.application_events (actor_id);

create table public.application_reveals (
  id bigint generated always as identity primary key,
  application_id uuid not null references public.applications (id) on delete cascade,
  field text not null check (field in ('resident_id', 'bank_account')),
  actor_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now()
);
comment on table public.application_reveals is
  'Append-only audit of 查看: each time a reviewer (butler or admin) had a full resident ID or bank account shown. Read by admins, and by each actor their own rows; written only by application_sensitive.';
create index application_reveals_application_idx on public.application_reveals (application_id, created_at desc);
create index application_reveals_actor_idx on public.application_reveals (actor_id, created_at desc);

create function private.refuse_history_rewrite() returns trigger
language plpgsql set search_path = ''
as $$
begin
  -- The one way out: the application itself is deleted (its applicant deleted their account, 注销账号),
  -- and its history goes with it by the foreign key's cascade, which runs inside a trigger.
  if tg_op = 'DELETE' and pg_trigger_depth() > 1 then
    return old;
  end if;
  -- and an actor's account deleted leaves their rows without a name (on delete set null), nothing else.
  if tg_op = 'UPDATE' and pg_trigger_depth() > 1 and new.actor_id is null
     and (to_jsonb(new) - 'actor_id') = (to_jsonb(old) - 'actor_id') then
    return new;
  end if;
  raise exception '历史记录不能修改或删除' using errcode = '42501';
end
$$;
comment on function private.refuse_history_rewrite() is
  'Refuses every update and every direct delete of an append-only history table, whoever asks (the grants already refuse the API roles; this stops a definer function by mistake). Rows leave only with their application, by cascade, when the applicant deletes their account.';
revoke execute on function private.refuse_history_rewrite() from public;

create trigger application_events_append_only before update or delete on public.application_events
  for each row execute function private.refuse_history_rewrite();
create trigger application_reveals_append_only before update or delete on public.application_reveals
  for each row execute function private.refuse_history_rewrite();

-- =====================================================================================================
-- grants and policies: SELECT only, and never the full resident ID or bank account
-- =====================================================================================================
alter table public.subsidy_programmes enable row level security;
alter table public.application_batches enable row level security;
alter table public.applications enable row level security;
alter table public.application_materials enable row level security;
alter table public.application_events enable row level security;
alter table public.application_reveals enable row level security;

revoke all on public.subsidy_programmes, public.application_batches, public.applications, public.application_materials,
  public.application_events, public.application_reveals from anon, authenticated;
revoke update, delete, truncate on public.application_events, public.application_reveals from service_role;

grant select on public.subsidy_programmes to anon, authenticated;
grant select on public.application_batches, public.application_materials, public.application_events,
  public.application_reveals to authenticated;
grant select (id, applicant_id, programme_id, group_id, street, status, consent_notice_version, consented_at,
  real_name, phone, bank_name, business_name, credit_code, credit_code_needs_review, registered_on, employees,
  requested_amount, approved_amount, supplement, reject_reason, reviewer_id, batch_id, submitted_at, decided_at,
  disbursed_at, disburse_note, version, created_at, updated_at, resident_id_masked, bank_account_masked,
  real_name_masked) on public.applications to authenticated;

create policy "everyone reads the open catalogue" on public.subsidy_programmes
  for select to anon using (active);
create policy "people read active programmes, admins all" on public.subsidy_programmes
  for select to authenticated using (active or (select private.is_admin()));

create policy "the street's butlers and admins read its batches" on public.application_batches
  for select to authenticated using (private.is_street_butler(street) or (select private.is_admin()));

create policy "applicants read theirs; their group's butlers and admins what was submitted" on public.applications
  for select to authenticated using (
    applicant_id = (select auth.uid())
    or (status <> 'draft' and (group_id in (select private.my_review_group_ids()) or (select private.is_admin())))
  );

create policy "materials are read as their application" on public.application_materials
  for select to authenticated using (exists (select 1 from public.applications a where a.id = application_id));

create policy "history is read as its application" on public.application_events
  for select to authenticated using (exists (select 1 from public.applications a where a.id = application_id));

create policy "admins read every reveal, reviewers their own" on public.application_reveals
  for select to authenticated using (actor_id = (select auth.uid()) or (select private.is_admin()));

-- =====================================================================================================
-- pushes
-- =====================================================================================================
insert into private.push_templates (key, label) values ('application_status', '申报进度提醒');
