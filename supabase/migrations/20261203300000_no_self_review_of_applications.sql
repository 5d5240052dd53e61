-- A butler may also be a member applicant of their own group (nothing stops a butler from applying for
-- a subsidy), and lock_reviewable_application only asked whether the caller is a butler of the
-- application's group: a butler could start the review of, approve (with any amount up to the maximum),
-- reject or ask 补正 for their own application, confirm its flagged credit code and mark it disbursed.
-- Found by tests/db/attack-applications.test.ts.
--
-- The rule now sits on the table, so every reviewer step (those of apps-db and of batches-db, and any
-- added later) meets it: whoever is the applicant cannot move their own application into a reviewer's
-- state, nor clear the credit-code flag by hand. Another butler of the group, or an admin, reviews it.
-- Filing (approved → filed) is the batch's step as a whole and stays allowed.

create function private.refuse_self_review() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.applicant_id = (select auth.uid()) and (
       (new.status is distinct from old.status
        and new.status in ('under_review', 'approved', 'rejected', 'needs_supplement', 'disbursed', 'not_disbursed'))
       or (old.credit_code_needs_review and not new.credit_code_needs_review
           and new.credit_code is not distinct from old.credit_code)) then
    raise exception '不能审核自己的申报' using errcode = '42501',
      hint = 'application_id', detail = '请由本群的其他管家或管理员审核';
  end if;
  return new;
end
$$;
comment on function private.refuse_self_review() is
  'Refuses (42501) any reviewer step taken by the applicant on their own application: review, approval, rejection, 补正, credit-code confirmation, disbursement result.';
revoke execute on function private.refuse_self_review() from public;

create trigger applications_no_self_review before update on public.applications
  for each row execute function private.refuse_self_review();
