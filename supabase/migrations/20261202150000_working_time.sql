-- Working time: the official holiday calendar and due-time arithmetic in working minutes.
--
-- A question's due time is its group's response target counted in working time: 09:00–17:30 (Beijing
-- time, Asia/Shanghai, which has had no daylight-saving time since 1991, so a fixed +08:00 is exact) on
-- working days. A working day is Monday to Friday, except the official days off, plus the weekend days
-- the State Council declares working days (调休). The calendar is published every November for the next
-- year, so it lives in a table admins edit, not in code.
--
-- Seed for 2026: 国务院办公厅关于2026年部分节假日安排的通知 (State Council General Office notice on the
-- 2026 holiday arrangement, dated 2025-11-04, as published by Xinhua / gmw.cn politics channel
-- 2025-11/04/content_38391083), the same facts as ../shared/data/cn-holidays-2026.csv:
--   元旦 Jan 1–3 off, Jan 4 (Sun) work; 春节 Feb 15–23 off, Feb 14 (Sat) and Feb 28 (Sat) work;
--   清明节 Apr 4–6 off; 劳动节 May 1–5 off, May 9 (Sat) work; 端午节 Jun 19–21 off; 中秋节 Sep 25–27 off;
--   国庆节 Oct 1–7 off, Sep 20 (Sun) and Oct 10 (Sat) work.

-- =====================================================================================================
-- the calendar
-- =====================================================================================================
create type public.calendar_day_kind as enum ('off', 'work');
comment on type public.calendar_day_kind is
  'off: an official day off (放假), even on a weekday; work: a weekend day that is a working day (调休上班).';

create table public.holidays (
  day date primary key,
  kind public.calendar_day_kind not null,
  name text not null check (char_length(btrim(name)) between 1 and 20),
  updated_by uuid default auth.uid() references public.profiles (id) on delete set null,
  updated_at timestamptz not null default now(),
  constraint holidays_work_days_are_weekends check (kind = 'off' or extract(isodow from day) >= 6)
);
comment on table public.holidays is
  'Exceptions to the Monday–Friday week: official days off and adjusted weekend working days (调休). Admins keep it current; everyone signed in reads it.';
comment on column public.holidays.kind is
  'off: no working time that day (a weekend day off may be listed too, as the State Council lists it); work: a Saturday or Sunday with working time.';
comment on column public.holidays.name is 'The festival the day belongs to, e.g. 春节.';

create index holidays_updated_by_idx on public.holidays (updated_by);

alter table public.holidays enable row level security;
revoke all on public.holidays from anon, authenticated;
grant select on public.holidays to authenticated;
grant insert (day, kind, name), update (kind, name), delete on public.holidays to authenticated;

create trigger holidays_touch before update on public.holidays
  for each row execute function private.touch_updated_at();

create function private.stamp_holiday_editor() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_by := (select auth.uid());
  return new;
end
$$;
comment on function private.stamp_holiday_editor() is 'Records who last changed a calendar day, whatever the client sends.';
revoke execute on function private.stamp_holiday_editor() from public;

create trigger holidays_stamp_editor before insert or update on public.holidays
  for each row execute function private.stamp_holiday_editor();

create policy "signed-in people read the calendar" on public.holidays
  for select to authenticated using (true);
create policy "admins add calendar days" on public.holidays
  for insert to authenticated with check ((select private.is_admin()));
create policy "admins change calendar days" on public.holidays
  for update to authenticated using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove calendar days" on public.holidays
  for delete to authenticated using ((select private.is_admin()));

insert into public.holidays (day, kind, name) values
  ('2026-01-01', 'off', '元旦'), ('2026-01-02', 'off', '元旦'), ('2026-01-03', 'off', '元旦'),
  ('2026-01-04', 'work', '元旦'),
  ('2026-02-14', 'work', '春节'),
  ('2026-02-15', 'off', '春节'), ('2026-02-16', 'off', '春节'), ('2026-02-17', 'off', '春节'),
  ('2026-02-18', 'off', '春节'), ('2026-02-19', 'off', '春节'), ('2026-02-20', 'off', '春节'),
  ('2026-02-21', 'off', '春节'), ('2026-02-22', 'off', '春节'), ('2026-02-23', 'off', '春节'),
  ('2026-02-28', 'work', '春节'),
  ('2026-04-04', 'off', '清明节'), ('2026-04-05', 'off', '清明节'), ('2026-04-06', 'off', '清明节'),
  ('2026-05-01', 'off', '劳动节'), ('2026-05-02', 'off', '劳动节'), ('2026-05-03', 'off', '劳动节'),
  ('2026-05-04', 'off', '劳动节'), ('2026-05-05', 'off', '劳动节'),
  ('2026-05-09', 'work', '劳动节'),
  ('2026-06-19', 'off', '端午节'), ('2026-06-20', 'off', '端午节'), ('2026-06-21', 'off', '端午节'),
  ('2026-09-20', 'work', '国庆节'),
  ('2026-09-25', 'off', '中秋节'), ('2026-09-26', 'off', '中秋节'), ('2026-09-27', 'off', '中秋节'),
  ('2026-10-01', 'off', '国庆节'), ('2026-10-02', 'off', '国庆节'), ('2026-10-03', 'off', '国庆节'),
  ('2026-10-04', 'off', '国庆节'), ('2026-10-05', 'off', '国庆节'), ('2026-10-06', 'off', '国庆节'),
  ('2026-10-07', 'off', '国庆节'),
  ('2026-10-10', 'work', '国庆节');

-- =====================================================================================================
-- working-time arithmetic
-- =====================================================================================================
create function private.is_working_day(p_day date) returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select h.kind = 'work' from public.holidays h where h.day = p_day),
    extract(isodow from p_day) < 6
  )
$$;
comment on function private.is_working_day(date) is
  'True on a working day: Monday to Friday unless the calendar says off, a weekend day when the calendar says work.';

create function private.add_working_minutes(p_start timestamptz, p_minutes integer) returns timestamptz
language plpgsql stable security definer set search_path = ''
as $$
declare
  -- Beijing wall-clock time of p_start (fixed +08:00: China has no daylight-saving time).
  v_local timestamp := (p_start at time zone 'UTC') + interval '8 hours';
  v_day date := ((p_start at time zone 'UTC') + interval '8 hours')::date;
  v_left interval;
  v_from timestamp;
  v_close timestamp;
  v_days integer := 0;
begin
  if p_start is null or p_minutes is null or p_minutes < 0 or p_minutes > 60 * 24 * 366 then
    raise exception '工作时长应在0到527040分钟之间' using errcode = '22023';
  end if;
  v_left := make_interval(mins => p_minutes);
  loop
    if private.is_working_day(v_day) then
      v_from := greatest(v_local, v_day + time '09:00');
      v_close := v_day + time '17:30';
      if v_from <= v_close then
        if v_left <= v_close - v_from then
          return ((v_from + v_left) - interval '8 hours') at time zone 'UTC';
        end if;
        v_left := v_left - (v_close - v_from);
      end if;
    end if;
    v_day := v_day + 1;
    v_local := v_day::timestamp;
    v_days := v_days + 1;
    if v_days > 3660 then
      raise exception '日历中十年内没有工作日，请检查节假日设置' using errcode = '22023';
    end if;
  end loop;
end
$$;
comment on function private.add_working_minutes(timestamptz, integer) is
  'The moment p_minutes of working time (09:00–17:30 Beijing time on working days) after p_start; a start outside working time counts from the next opening. Due times of questions.';

create function private.working_minutes_between(p_from timestamptz, p_to timestamptz) returns integer
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_from timestamp := (p_from at time zone 'UTC') + interval '8 hours';
  v_to timestamp := (p_to at time zone 'UTC') + interval '8 hours';
  v_day date;
  v_total interval := interval '0';
  v_a timestamp;
  v_b timestamp;
begin
  if p_from is null or p_to is null then
    return null;
  end if;
  if v_to <= v_from then
    return 0;
  end if;
  if v_to - v_from > interval '3660 days' then
    raise exception '时间跨度过大' using errcode = '22023';
  end if;
  v_day := v_from::date;
  while v_day <= v_to::date loop
    if private.is_working_day(v_day) then
      v_a := greatest(v_from, v_day + time '09:00');
      v_b := least(v_to, v_day + time '17:30');
      if v_b > v_a then
        v_total := v_total + (v_b - v_a);
      end if;
    end if;
    v_day := v_day + 1;
  end loop;
  return floor(extract(epoch from v_total) / 60)::integer;
end
$$;
comment on function private.working_minutes_between(timestamptz, timestamptz) is
  'Whole minutes of working time between two moments (0 when p_to is not after p_from): how long an answer took, as the response target counts it.';

revoke execute on function private.is_working_day(date) from public;
revoke execute on function private.add_working_minutes(timestamptz, integer) from public;
revoke execute on function private.working_minutes_between(timestamptz, timestamptz) from public;
grant execute on function private.is_working_day(date) to authenticated, service_role;
grant execute on function private.add_working_minutes(timestamptz, integer) to authenticated, service_role;
grant execute on function private.working_minutes_between(timestamptz, timestamptz) to authenticated, service_role;
