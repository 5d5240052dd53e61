-- Every 10 seconds, pg_cron calls the content-check edge function through pg_net, so members' group
-- messages are checked by WeChat and published (or flagged) within seconds of being sent. As
-- 20261121160000_schedule_notify_dispatch.sql does for pushes, with the same Vault secrets (project_url,
-- and the service-role key stored as notify_dispatch_service_key: one key, the project's service role).
--
-- Sub-minute schedules ('10 seconds') need pg_cron 1.5 or later (hosted Supabase has it). Only where
-- pg_cron and pg_net can run: elsewhere (PGlite, a plain PostgreSQL server) this migration does nothing,
-- and the local backend's scheduler (supabase/local/scheduler.ts) calls the function instead.
--
-- The checker stops claiming after 40 s and holds each check under a 120 s lease, so overlapping runs
-- never check a message twice (and a verdict is applied once in any case: the check row is its claim).
-- Check runs with
--   select * from cron.job_run_details where jobid = (select jobid from cron.job where jobname = 'content-check') order by start_time desc limit 10;
-- What waits, and why: select * from private.group_message_checks order by next_attempt_at;
-- Stop with: select cron.unschedule('content-check');

do $do$
begin
  if not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron')
     or not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_net') then
    raise notice 'pg_cron or pg_net is not available: content-check is not scheduled in this database';
    return;
  end if;

  begin
    create extension if not exists pg_cron;
    create extension if not exists pg_net;
  exception when others then
    raise warning 'pg_cron / pg_net could not be enabled (%): content-check is not scheduled', sqlerrm;
    return;
  end;

  if pg_catalog.to_regclass('vault.decrypted_secrets') is null then
    raise warning 'Supabase Vault is missing: the content-check job fails until project_url and notify_dispatch_service_key can be read';
  end if;

  -- Scheduling under an existing name replaces that job, so applying this again changes nothing.
  perform cron.schedule(
    'content-check',
    '10 seconds',
    $job$
    select net.http_post(
      url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url')
             || '/functions/v1/content-check',
      headers := jsonb_build_object(
        'Content-Type', 'application/json',
        'Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets
                                         where name = 'notify_dispatch_service_key')),
      body := jsonb_build_object('time', now()),
      timeout_milliseconds := 55000
    ) as request_id;
    $job$
  );
end
$do$;
