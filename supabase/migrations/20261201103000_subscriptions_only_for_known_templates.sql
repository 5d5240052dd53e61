-- Fix: public.record_subscriptions counted a template once per time it appeared in the call (five times
-- for ['account_change' × 5]) and accepted any name at all, so a person could give themselves any
-- number of pushes of templates that do not exist.
--
-- WeChat grants one send per template per tap in wx.requestSubscribeMessage, so one call now adds at
-- most one send per template; only templates listed in private.push_templates are accepted; and each
-- template's count stops at its cap (a count above what WeChat really holds only produces 43101 answers).
-- The template keys here must match the keys of the notify-dispatch function's WECHAT_TEMPLATES
-- (supabase/local/wechat/templates.ts locally; a test holds the two together). An issue that adds a push
-- template adds its row here in its own migration.

-- =====================================================================================================
-- the templates people may subscribe to
-- =====================================================================================================
create table private.push_templates (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  label text not null check (char_length(btrim(label)) between 1 and 20),
  max_remaining integer not null default 10 check (max_remaining between 1 and 100)
);
comment on table private.push_templates is
  'The subscription-message templates a person may accept (订阅消息), by the key notifications.push_template and WECHAT_TEMPLATES use. Configuration, written by migrations only.';
comment on column private.push_templates.label is 'The template''s title in the WeChat console, for people reading the data.';
comment on column private.push_templates.max_remaining is
  'The most sends of this template one person can have banked; more acceptances are not counted.';

revoke all on private.push_templates from public, anon, authenticated, service_role;
grant select on private.push_templates to service_role;

insert into private.push_templates (key, label) values ('account_change', '账号变更提醒');

-- Counts inflated by the old function are brought down to the cap.
update public.push_subscriptions s
   set remaining = t.max_remaining, updated_at = now()
  from private.push_templates t
 where t.key = s.template and s.remaining > t.max_remaining;

-- =====================================================================================================
-- record_subscriptions: known templates, once per call, capped
-- =====================================================================================================
create or replace function private.record_subscriptions(p_templates text[]) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  v_unknown text;
begin
  if v_user is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if p_templates is null or cardinality(p_templates) = 0 then
    raise exception '请至少选择一种订阅消息' using errcode = '22023';
  end if;
  if cardinality(p_templates) > 5 then
    raise exception '一次最多记录5个订阅消息模板' using errcode = '22023';
  end if;
  select coalesce(t, '(null)') into v_unknown
    from unnest(p_templates) t
   where t is null or not exists (select 1 from private.push_templates k where k.key = t)
   limit 1;
  if v_unknown is not null then
    raise exception '没有这种订阅消息，请更新小程序后再试'
      using errcode = '22023', detail = 'unknown template: ' || v_unknown;
  end if;
  -- One send per template per call, however often the call names it; never above the template's cap.
  insert into public.push_subscriptions as s (user_id, template, remaining)
  select v_user, k.key, 1 from private.push_templates k where k.key = any (p_templates)
  on conflict (user_id, template) do update
    set remaining = least(s.remaining + 1,
                          (select k.max_remaining from private.push_templates k where k.key = excluded.template)),
        updated_at = now();
end
$$;
comment on function private.record_subscriptions(text[]) is
  'Adds one send for each template the caller accepted in one wx.requestSubscribeMessage: only templates in private.push_templates, once per call, up to the template''s cap.';

comment on function public.record_subscriptions(text[]) is
  'Called after wx.requestSubscribeMessage with the template keys the person accepted: one more send of each, up to its cap. Unknown keys are refused (22023 没有这种订阅消息，请更新小程序后再试).';
