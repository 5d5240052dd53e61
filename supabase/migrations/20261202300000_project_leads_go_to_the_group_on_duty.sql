-- Issue 11 asks that 我感兴趣 on a project reaches "the butler on duty in the person's group". The posts
-- work landed before the groups' duty roster, so private.lead_owner_for chose a butler by district. Now
-- that both exist: the butler on duty (private.butler_on_duty: the roster, else the group's butler with
-- the fewest open questions) in the group the worker joined first; for a worker in no group yet, the
-- district rule as before (street, then district, then any butler; fewest open leads first).
create or replace function private.lead_owner_for(person uuid) returns uuid
language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select d.butler_id
       from public.group_members m
       join public.groups g on g.id = m.group_id and g.archived_at is null
       cross join lateral (select private.butler_on_duty(m.group_id) as butler_id) d
      where m.user_id = person and m.role = 'member'
        and d.butler_id <> person
      order by m.joined_at, m.group_id
      limit 1),
    (select b.id
       from public.profiles b
       cross join (select w.district from public.profiles w where w.id = person) w
      where b.role = 'butler' and b.id <> person
      order by case when b.district = w.district then 0
                    when (private.regions_of(b.district))[2] = (private.regions_of(w.district))[2] then 1
                    else 2 end,
               (select count(*) from public.project_leads l where l.butler_id = b.id and l.status = 'open'),
               b.id
      limit 1)
  )
$$;
comment on function private.lead_owner_for(uuid) is
  'The butler who gets a person''s project lead: the butler on duty in the group they joined first (private.butler_on_duty); without a group, a butler of their street, else their district, else any, fewest open leads first.';
revoke execute on function private.lead_owner_for(uuid) from public;
