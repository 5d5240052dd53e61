-- Every minute, pg_cron calls the notify-dispatch edge function through pg_net, authorised with the
-- service-role key kept in Supabase Vault, so pending pushes in public.notifications go out without
-- anyone asking.
--
-- Only where pg_cron and pg_net can run (a hosted Supabase project): elsewhere (PGlite, a plain
-- PostgreSQL server) this migration does nothing, and the local backend's scheduler
-- (supabase/local/scheduler.ts) does the same job. When both are available but not yet enabled, they are
-- enabled here; if that fails (pg_cron not in shared_preload_libraries), a warning says so and nothing
-- is scheduled.
--
-- Secrets never go into a migration. Once per project, in the SQL editor (names as used below):
--   select vault.create_secret('https://<project-ref>.supabase.co', 'project_url');
--   select vault.create_secret('<the service_role key>', 'notify_dispatch_service_key');
-- The job this schedules, named 'notify-dispatch', every minute ('* * * * *'):
--   select net.http_post(
--     url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url')
--            || '/functions/v1/notify-dispatch',
--     headers := jsonb_build_object(
--       'Content-Type', 'application/json',
--       'Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets
--                                        where name = 'notify_dispatch_service_key')),
--     body := jsonb_build_object('time', now()),
--     timeout_milliseconds := 55000
--   );
-- The dispatcher stops taking new batches after 40 s and holds each row under a 60 s lease, so runs of
-- consecutive minutes may overlap without sending anything twice. Check runs with
--   select * from cron.job_run_details where jobid = (select jobid from cron.job where jobname = 'notify-dispatch') order by start_time desc limit 10;
--   select id, status_code, content from net._http_response order by created desc limit 10;
-- Stop with: select cron.unschedule('notify-dispatch');

do $do$
begin
  if not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron')
     or not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_net') then
    raise notice 'pg_cron or pg_net is not available: notify-dispatch is not scheduled in this database';
    return;
  end if;

  begin
    create extension if not exists pg_cron;
    create extension if not exists pg_net;
  exception when others then
    raise warning 'pg_cron / pg_net could not be enabled (%): notify-dispatch is not scheduled', sqlerrm;
    return;
  end;

  -- (Two tests: the second may only be planned where Vault exists.)
  if pg_catalog.to_regclass('vault.decrypted_secrets') is null then
    raise warning 'Supabase Vault is missing: the notify-dispatch job fails until project_url and notify_dispatch_service_key can be read';
  elsif (select count(*) from vault.decrypted_secrets
          where name in ('project_url', 'notify_dispatch_service_key')) < 2 then
    raise warning 'Vault secrets project_url and notify_dispatch_service_key are missing: the notify-dispatch job fails until they are created';
  end if;

  -- Scheduling under an existing name replaces that job, so applying this again changes nothing.
  perform cron.schedule(
    'notify-dispatch',
    '* * * * *',
    $job$
    select net.http_post(
      url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url')
             || '/functions/v1/notify-dispatch',
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
