-- The profile form's rules, in the database, with messages people read (issue 8: "an emoji-only name
-- was accepted, and over-long text is cut silently; say what is wrong instead").
--
-- complete_onboarding (onboarding's save and 编辑资料's) wrote whatever it was given and left the rest to
-- the CHECK constraints of profiles, whose refusals are English (shown as the generic 填写的内容不符合要求)
-- and looser than the form: a name of 1 to 32 characters of anything (😀😀 passed), no 所属街道 needed,
-- a 分流日期 in the future. It now checks each field as the form does (src/services/profile/
-- validate-onboarding.ts keeps the same rules and messages) and refuses with the field's problem in
-- Chinese, errcode 22023 and a hint naming the field, before anything is written. The constraints stay
-- as the last line.
--
-- A name (姓名) is 2 to 20 characters of Chinese characters (all CJK blocks, and 〇) or Latin letters,
-- with the middle dot of minority names (阿卜杜·热合曼), a full stop or a space only between them.
-- 所属街道 and 原单位 need at least one character or digit (not only symbols or emoji) and no control
-- characters; 创业意向 may span lines. Lengths count characters as people do (char_length: a Chinese
-- character is one). Edges are trimmed of spaces, tabs, line breaks and the ideographic space.

-- =====================================================================================================
-- private.complete_onboarding: validates, then saves
-- =====================================================================================================
create or replace function private.complete_onboarding(
  p_display_name text, p_district text, p_former_employer text, p_displaced_on date, p_startup_intention text
) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := (select auth.uid());
  -- The letters of a name: CJK ideographs (Ext. A, unified, compatibility, Ext. B–G), 〇, Latin letters.
  c_letters constant text := '\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3007A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f';
  -- Letters, with the middle dots, a full stop or a space only between them.
  c_name constant text := '^[' || c_letters || ']([' || c_letters || '\u00b7\u2022\u30fb\u2027. ]*[' || c_letters || '])?$';
  -- Text that says something: at least one letter or digit (ASCII or full-width).
  c_meaningful constant text := '[' || c_letters || '0-9\uff10-\uff19]';
  c_edges constant text := E' \t\r\n\u3000';
  v_name text := btrim(coalesce(p_display_name, ''), c_edges);
  v_district text := btrim(coalesce(p_district, ''), c_edges);
  v_employer text := btrim(coalesce(p_former_employer, ''), c_edges);
  v_intention text := btrim(coalesce(p_startup_intention, ''), c_edges);
begin
  if v_user is null then
    raise exception '请先登录' using errcode = '42501';
  end if;
  if not exists (select 1 from public.profiles p where p.id = v_user and p.privacy_accepted_at is not null) then
    raise exception '请先阅读并同意隐私保护指引' using errcode = 'P0001', hint = 'privacy_notice_required';
  end if;

  if v_name = '' then
    raise exception '请填写姓名' using errcode = '22023', hint = 'display_name';
  elsif char_length(v_name) not between 2 and 20 then
    raise exception '姓名应为2到20个字，现在是%个字', char_length(v_name) using errcode = '22023', hint = 'display_name';
  elsif v_name !~ c_name then
    raise exception '姓名只能填写汉字或字母，少数民族姓名可用“·”隔开' using errcode = '22023', hint = 'display_name';
  end if;

  if v_district = '' then
    raise exception '请填写所属街道' using errcode = '22023', hint = 'district';
  elsif char_length(v_district) > 40 then
    raise exception '所属街道不能超过40个字，现在是%个字', char_length(v_district) using errcode = '22023', hint = 'district';
  elsif v_district ~ '[[:cntrl:]]' or v_district !~ c_meaningful then
    raise exception '所属街道请填写街道名称，如“兴隆路街道”' using errcode = '22023', hint = 'district';
  end if;

  if char_length(v_employer) > 40 then
    raise exception '原单位不能超过40个字，现在是%个字', char_length(v_employer) using errcode = '22023', hint = 'former_employer';
  elsif v_employer <> '' and (v_employer ~ '[[:cntrl:]]' or v_employer !~ c_meaningful) then
    raise exception '原单位请填写单位名称，如“青岛钢铁”' using errcode = '22023', hint = 'former_employer';
  end if;

  if p_displaced_on < date '1990-01-01' then
    raise exception '分流日期不能早于1990年' using errcode = '22023', hint = 'displaced_on';
  elsif p_displaced_on > (now() at time zone 'Asia/Shanghai')::date then
    raise exception '分流日期不能晚于今天' using errcode = '22023', hint = 'displaced_on';
  end if;

  if char_length(v_intention) > 200 then
    raise exception '创业意向不能超过200个字，现在是%个字', char_length(v_intention) using errcode = '22023', hint = 'startup_intention';
  elsif v_intention <> '' and (regexp_replace(v_intention, E'[\n\r\t]', '', 'g') ~ '[[:cntrl:]]' or v_intention !~ c_meaningful) then
    raise exception '创业意向请用文字写一写想做什么' using errcode = '22023', hint = 'startup_intention';
  end if;

  update public.profiles
     set display_name = v_name,
         district = v_district,
         former_employer = nullif(v_employer, ''),
         displaced_on = p_displaced_on,
         startup_intention = nullif(v_intention, ''),
         onboarded_at = coalesce(onboarded_at, now())
   where id = v_user;
end
$$;
comment on function private.complete_onboarding(text, text, text, date, text) is
  'Saves the profile form (onboarding, and 编辑资料 afterwards) and marks the person onboarded the first time; refuses until the privacy notice is accepted, and refuses each field that breaks the form''s rules with a Chinese sentence (22023, hint = the field), writing nothing. The same rules as src/services/profile/validate-onboarding.ts.';
