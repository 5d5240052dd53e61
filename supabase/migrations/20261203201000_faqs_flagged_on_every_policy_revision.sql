-- FAQ entries were flagged for re-checking only when their policy's title, summary or body changed; a
-- revision of its dates, issuing body or document number (which readers also see as 更新于) went
-- unnoticed. Now every revision of a linked post flags them too: revised_at moves on each one.
drop trigger posts_flag_faqs on public.posts;

create trigger posts_flag_faqs after update on public.posts
  for each row when (old.title is distinct from new.title or old.summary is distinct from new.summary
                     or old.body is distinct from new.body or old.revised_at is distinct from new.revised_at)
  execute function private.flag_faqs_of_changed_post();
comment on trigger posts_flag_faqs on public.posts is
  'A post''s content or any revision readers see (更新于) flags the FAQ entries that link it (needs_recheck).';
