-- The duty roster (值班表): who answers a group's questions when. A group's butlers edit their group's
-- shifts, admins every group's; one butler never has two shifts at once (in any group). The butler on
-- duty for a group is the owner of its new questions; with nobody on the roster, the group's butler with
-- the fewest open questions is (private.butler_on_duty, defined with the questions).

-- =====================================================================================================
-- shifts
-- =====================================================================================================
create table public.group_duty_shifts (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references public.groups (id) on delete cascade,
  butler_id uuid not null references public.profiles (id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  note text not null default '' check (char_length(note) <= 100),
  handed_over_at timestamptz,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint shifts_end_after_they_start check (ends_at > starts_at),
  constraint shifts_last_at_most_31_days check (ends_at - starts_at <= interval '31 days')
);
comment on table public.group_duty_shifts is
  '值班表: a butler of the group is on duty from starts_at to ends_at. Read by the group''s members (who is on duty) and admins; written by the group''s butlers and admins. No butler has overlapping shifts.';
comment on column public.group_duty_shifts.handed_over_at is
  'Set by the question-desk job once the shift has ended and its open questions passed to the next butler on duty; the system''s, not the client''s.';
comment on column public.group_duty_shifts.note is 'A line for the roster, e.g. 周末值班.';

create index group_duty_shifts_group_time_idx on public.group_duty_shifts (group_id, starts_at, ends_at);
create index group_duty_shifts_butler_time_idx on public.group_duty_shifts (butler_id, starts_at);
create index group_duty_shifts_created_by_idx on public.group_duty_shifts (created_by);
create index group_duty_shifts_to_hand_over_idx on public.group_duty_shifts (ends_at) where handed_over_at is null;

alter table public.group_duty_shifts enable row level security;
revoke all on public.group_duty_shifts from anon, authenticated;
grant select, delete on public.group_duty_shifts to authenticated;
grant insert (group_id, butler_id, starts_at, ends_at, note), update (butler_id, starts_at, ends_at, note)
  on public.group_duty_shifts to authenticated;

create policy "members read their groups' roster, admins every roster" on public.group_duty_shifts
  for select to authenticated using (group_id in (select private.my_group_ids()) or (select private.is_admin()));
create policy "group managers add shifts" on public.group_duty_shifts
  for insert to authenticated with check (private.can_manage_group(group_id));
create policy "group managers change shifts" on public.group_duty_shifts
  for update to authenticated using (private.can_manage_group(group_id)) with check (private.can_manage_group(group_id));
create policy "group managers remove shifts" on public.group_duty_shifts
  for delete to authenticated using (private.can_manage_group(group_id));

-- =====================================================================================================
-- the rules a shift keeps
-- =====================================================================================================
create function private.check_duty_shift() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_other public.group_duty_shifts;
  v_group_name text;
begin
  if tg_op = 'INSERT' then
    new.created_by := (select auth.uid());
    new.handed_over_at := null;
  elsif new.starts_at is distinct from old.starts_at or new.ends_at is distinct from old.ends_at
        or new.butler_id is distinct from old.butler_id then
    -- A shift moved to a later end is handed over again when it ends.
    new.handed_over_at := case when new.ends_at > now() then null else old.handed_over_at end;
  end if;
  if new.ends_at <= new.starts_at then
    raise exception '值班结束时间应晚于开始时间' using errcode = '22023';
  end if;
  if new.ends_at - new.starts_at > interval '31 days' then
    raise exception '一个班次最长31天' using errcode = '22023';
  end if;
  if not exists (
    select 1 from public.group_members m join public.profiles p on p.id = m.user_id
     where m.group_id = new.group_id and m.user_id = new.butler_id and m.role = 'butler' and p.role in ('butler', 'admin')
  ) then
    raise exception '值班人必须是本群的创业管家' using errcode = '22023';
  end if;
  -- One writer per butler at a time, so two overlapping shifts written at once cannot both pass.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('group_duty_shifts:' || new.butler_id::text));
  select * into v_other from public.group_duty_shifts s
   where s.butler_id = new.butler_id and s.id <> new.id
     and s.starts_at < new.ends_at and s.ends_at > new.starts_at
   order by s.starts_at limit 1;
  if v_other.id is not null then
    select g.name into v_group_name from public.groups g where g.id = v_other.group_id;
    raise exception '这位管家在这段时间已有值班（%，%至%）', v_group_name,
      to_char(v_other.starts_at at time zone 'Asia/Shanghai', 'MM-DD HH24:MI'),
      to_char(v_other.ends_at at time zone 'Asia/Shanghai', 'MM-DD HH24:MI')
      using errcode = '23P01';
  end if;
  return new;
end
$$;
comment on function private.check_duty_shift() is
  'Keeps the roster sound on every write: the person on duty is a butler of the group, a shift ends after it starts and lasts at most 31 days, and one butler never has two shifts at once (serialised per butler). Records who wrote the shift.';
revoke execute on function private.check_duty_shift() from public;

-- Only edits of the roster itself: the question-desk job's handed_over_at stamp skips these checks.
create trigger group_duty_shifts_check before insert or update of group_id, butler_id, starts_at, ends_at, note
  on public.group_duty_shifts
  for each row execute function private.check_duty_shift();
