-- Posts that staff write (issue 11, the database half): the fields of each kind, a region, a cover, a
-- restricted rich-text body stored in one safe form, and a revision kept for every change to a
-- published post.
--
-- The body: `body_doc` is an array of Taro RichText nodes, {name, attrs?, children?} or
-- {type: 'text', text}. The database sanitizes it on every insert and update, whoever writes it (an RPC,
-- a PATCH, the service role): only h2, h3, p, ul, ol, li, strong, b, em, a (href http/https only), img
-- (src only our post-covers public path, and only a verified object) and br stay; every other attribute
-- (style, class, on*) is dropped; script-like elements are dropped with their content; other elements
-- give way to their (sanitized) children. Payloads that are too large or too deep are refused with a
-- Chinese message (22023), never truncated behind the writer's back. `body` stays: it is the body's
-- plain text, kept in step by the same trigger (old rows and writers of plain text get paragraphs in
-- body_doc), and it is what search reads.
--
-- Who may write: staff (butlers and admins) as before. State columns (status, pinned, published_at,
-- archived_at) change only through the RPCs of 20261202201000 (column grants below); the author of a post
-- never changes, for anyone.

-- =====================================================================================================
-- columns
-- =====================================================================================================
alter table public.posts
  add column region text not null default '全市',
  add column cover_path text,
  add column body_doc jsonb not null default '[]',
  add column issuer text,
  add column doc_number text,
  add column effective_from date,
  add column effective_to date,
  add column investment_min integer,
  add column investment_max integer,
  add column skills text,
  add column contact text,
  add column archived_at timestamptz,
  add column read_count integer not null default 0,
  add column revised_at timestamptz;

-- Backstops: the write trigger below refuses the same things first, with a message for people.
alter table public.posts
  add constraint posts_region_shape check (
    region = '全市' or region ~ '^[一-龥]{1,12}(区|县|市)([一-龥0-9]{1,20}(街道|镇|乡))?$'),
  add constraint posts_cover_path_length check (char_length(cover_path) between 1 and 300),
  add constraint posts_body_doc_is_array check (jsonb_typeof(body_doc) = 'array'),
  add constraint posts_issuer_length check (char_length(issuer) <= 60),
  add constraint posts_doc_number_length check (char_length(doc_number) <= 60),
  add constraint posts_effective_range check (effective_to is null or effective_from is null or effective_to >= effective_from),
  add constraint posts_investment_range check (
    (investment_min is null or investment_min >= 0) and (investment_max is null or investment_max >= 0)
    and (investment_min is null or investment_max is null or investment_min <= investment_max)),
  add constraint posts_skills_length check (char_length(skills) <= 200),
  add constraint posts_contact_length check (char_length(contact) <= 100),
  add constraint posts_read_count_positive check (read_count >= 0),
  add constraint posts_archived_are_published check (archived_at is null or status = 'published'),
  add constraint posts_pinned_are_live check (not pinned or (status = 'published' and archived_at is null));

comment on column public.posts.region is
  'Who the post is for: 全市 (everyone), a district (四方区: its streets too) or a street (四方区兴隆路街道). A worker sees posts of 全市, their district and their street (profiles.district).';
comment on column public.posts.cover_path is 'Object name of the cover in the public post-covers bucket; only a verified object is accepted.';
comment on column public.posts.body_doc is
  'The body, the one safe stored form: an array of Taro RichText nodes, sanitized by the database on every write (private.sanitize_post_doc).';
comment on column public.posts.body is
  'The body''s plain text (kept in step with body_doc by the write trigger); what search reads. Writing plain text here still works: it becomes paragraphs in body_doc.';
comment on column public.posts.issuer is 'Policies: the issuing body (发文机关), e.g. 青岛市人力资源和社会保障局.';
comment on column public.posts.doc_number is 'Policies: the document number (文号), e.g. 青人社规〔2026〕3号.';
comment on column public.posts.effective_from is 'Policies: in force from (生效日期).';
comment on column public.posts.effective_to is 'Policies: in force until (失效日期), null for open-ended.';
comment on column public.posts.investment_min is 'Projects: the least investment, in yuan (投资额下限).';
comment on column public.posts.investment_max is 'Projects: the most investment, in yuan (投资额上限).';
comment on column public.posts.skills is 'Projects: skills needed (所需技能).';
comment on column public.posts.contact is 'Projects: who to contact (联系方式).';
comment on column public.posts.archived_at is 'Set by archive_post: out of the feed and search, still readable by its link and in bookmarks.';
comment on column public.posts.read_count is 'People who opened the post, each counted once (record_post_read).';
comment on column public.posts.revised_at is 'When a published post was last changed (更新于); each change is in post_revisions.';

-- Writers of posts may set content, never state: status, pinned, published_at and archived_at change
-- through the RPCs, author_id never, read_count and revised_at are the system's.
revoke update on public.posts from authenticated;
grant update (kind, title, summary, body, body_doc, tags, region, cover_path, issuer, doc_number,
              effective_from, effective_to, investment_min, investment_max, skills, contact)
  on public.posts to authenticated;

-- =====================================================================================================
-- regions
-- =====================================================================================================
create function private.regions_of(district text) returns text[]
language sql immutable set search_path = ''
as $$
  select case
    when coalesce(btrim(district), '') = '' then array['全市']
    else array_remove(array['全市', substring(btrim(district) from '^(.+?(区|县|市))'), btrim(district)], null)
  end
$$;
comment on function private.regions_of(text) is
  'The post regions a person of this district (profiles.district, "<区><街道>" like 四方区兴隆路街道) sees: 全市, the district (四方区) and the street itself.';
revoke execute on function private.regions_of(text) from public;
grant execute on function private.regions_of(text) to anon, authenticated, service_role;

-- =====================================================================================================
-- the rich-text allow-list
-- =====================================================================================================
create function private.sanitize_post_nodes(nodes jsonb) returns jsonb
language plpgsql immutable set search_path = ''
as $$
declare
  v_out jsonb := '[]';
  v_node jsonb;
  v_name text;
  v_children jsonb;
  v_url text;
  v_object text;
  v_text text;
begin
  if nodes is null or jsonb_typeof(nodes) <> 'array' then
    return v_out;
  end if;
  for v_node in select e.value from jsonb_array_elements(nodes) e loop
    -- text: a bare string, or {type: 'text', text}; control characters other than line breaks dropped
    if jsonb_typeof(v_node) = 'string' or (jsonb_typeof(v_node) = 'object' and v_node ->> 'type' = 'text') then
      v_text := case when jsonb_typeof(v_node) = 'string' then v_node #>> '{}'
                     when jsonb_typeof(v_node -> 'text') in ('string', 'number') then v_node ->> 'text' end;
      v_text := regexp_replace(coalesce(v_text, ''), '[\x01-\x09\x0b-\x1f\x7f]', '', 'g');
      if v_text <> '' then
        v_out := v_out || jsonb_build_array(jsonb_build_object('type', 'text', 'text', v_text));
      end if;
      continue;
    end if;
    if jsonb_typeof(v_node) <> 'object' or jsonb_typeof(v_node -> 'name') <> 'string' then
      continue;
    end if;
    v_name := lower(btrim(v_node ->> 'name'));
    -- Elements whose content is code, styling or a form: gone with everything inside.
    if v_name in ('script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'template',
                  'noscript', 'textarea', 'select', 'option', 'button', 'input', 'form', 'svg', 'math',
                  'link', 'meta', 'base', 'head', 'title', 'audio', 'video', 'source', 'canvas') then
      continue;
    end if;
    -- Close relatives become the allowed element; the rest give way to their children.
    v_name := case v_name
                when 'h1' then 'h2' when 'h4' then 'h3' when 'h5' then 'h3' when 'h6' then 'h3'
                when 'i' then 'em' when 'div' then 'p' when 'section' then 'p' when 'article' then 'p'
                when 'blockquote' then 'p'
                else v_name end;
    if v_name = 'br' then
      v_out := v_out || jsonb_build_array(jsonb_build_object('name', 'br'));
      continue;
    end if;
    if v_name = 'img' then
      v_url := case when jsonb_typeof(v_node #> '{attrs,src}') = 'string' then btrim(v_node #>> '{attrs,src}') end;
      -- Only our own public post-covers path; a host in front of it is dropped (the app prefixes its
      -- own Supabase URL), so the image can only ever come from our bucket.
      v_object := substring(v_url from '^(?:https?://[^/\s]+)?/storage/v1/object/public/post-covers/([A-Za-z0-9][A-Za-z0-9/_.-]{0,199})$');
      if v_object is not null and private.is_clean_object_name(v_object) then
        v_out := v_out || jsonb_build_array(jsonb_build_object(
          'name', 'img',
          'attrs', jsonb_build_object('src', '/storage/v1/object/public/post-covers/' || v_object)
                   || case when jsonb_typeof(v_node #> '{attrs,alt}') = 'string'
                           then jsonb_build_object('alt', left(v_node #>> '{attrs,alt}', 100)) else '{}' end));
      end if;
      continue;
    end if;
    v_children := private.sanitize_post_nodes(v_node -> 'children');
    if v_name = 'a' then
      v_url := case when jsonb_typeof(v_node #> '{attrs,href}') = 'string' then v_node #>> '{attrs,href}' end;
      if v_url ~* '^https?://[^\s<>"''`\\]+$' and char_length(v_url) <= 500 then
        v_out := v_out || jsonb_build_array(jsonb_build_object('name', 'a', 'attrs', jsonb_build_object('href', v_url), 'children', v_children));
      else
        v_out := v_out || v_children; -- not a web link (javascript:, data:, …): its text stays, the link goes
      end if;
      continue;
    end if;
    if v_name in ('h2', 'h3', 'p', 'ul', 'ol', 'li', 'strong', 'b', 'em') then
      v_out := v_out || jsonb_build_array(jsonb_build_object('name', v_name, 'children', v_children));
    else
      v_out := v_out || v_children;
    end if;
  end loop;
  return v_out;
end
$$;
comment on function private.sanitize_post_nodes(jsonb) is
  'The allow-list itself (see private.sanitize_post_doc, which bounds size and depth first): h2 h3 p ul ol li strong b em, a with an http(s) href, img with our post-covers path, br; text nodes; nothing else, no other attribute.';

create function private.post_doc_text(nodes jsonb) returns text
language plpgsql immutable set search_path = ''
as $$
declare
  v_out text := '';
  v_node jsonb;
begin
  if nodes is null or jsonb_typeof(nodes) <> 'array' then
    return '';
  end if;
  for v_node in select e.value from jsonb_array_elements(nodes) e loop
    if v_node ->> 'type' = 'text' then
      v_out := v_out || coalesce(v_node ->> 'text', '');
    elsif v_node ->> 'name' = 'br' then
      v_out := v_out || E'\n';
    else
      v_out := v_out || private.post_doc_text(v_node -> 'children');
      if v_node ->> 'name' in ('p', 'h2', 'h3', 'li') then
        v_out := v_out || E'\n';
      end if;
    end if;
  end loop;
  return v_out;
end
$$;
comment on function private.post_doc_text(jsonb) is 'The plain text of a sanitized body: text nodes, a line break after each block.';

create function private.post_doc_from_text(body text) returns jsonb
language sql immutable set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('name', 'p', 'children',
                    jsonb_build_array(jsonb_build_object('type', 'text', 'text', btrim(line)))) order by n), '[]')
    from regexp_split_to_table(coalesce(body, ''), E'\\n+') with ordinality as t(line, n)
   where btrim(line) <> ''
$$;
comment on function private.post_doc_from_text(text) is 'Plain text as a body: one paragraph per line (old posts and writers of plain text).';

create function private.sanitize_post_doc(doc jsonb) returns jsonb
language plpgsql stable set search_path = ''
as $$
declare
  v_doc jsonb;
  v_src text;
begin
  if doc is null or doc = 'null'::jsonb then
    return '[]';
  end if;
  if jsonb_typeof(doc) <> 'array' then
    raise exception '正文格式不正确：应为段落列表' using errcode = '22023', hint = 'body_not_array';
  end if;
  if octet_length(doc::text) > 200000 then
    raise exception '正文内容过长，请删减后再保存（最多约20万字节）' using errcode = '22023', hint = 'body_too_large';
  end if;
  -- A node nested n deep sits at JSON depth 2n-1 (each level is a node object and its children array).
  if jsonb_path_exists(doc, 'strict $.**{25 to last}') then
    raise exception '正文的格式嵌套过深，请简化格式后再保存' using errcode = '22023', hint = 'body_too_deep';
  end if;
  if (select count(*) from jsonb_path_query(doc, 'strict $.**')) > 20000 then
    raise exception '正文的段落和格式过多，请简化后再保存' using errcode = '22023', hint = 'body_too_many_nodes';
  end if;
  v_doc := private.sanitize_post_nodes(doc);
  for v_src in select distinct s #>> '{}' from jsonb_path_query(v_doc, 'lax $.**.src') s loop
    if not private.is_verified_object('post-covers', substring(v_src from '^/storage/v1/object/public/post-covers/(.+)$')) then
      raise exception '正文中的图片还没有上传完成或未通过检查，请重新上传' using errcode = '22023', hint = 'body_image_unverified';
    end if;
  end loop;
  return v_doc;
end
$$;
comment on function private.sanitize_post_doc(jsonb) is
  'Sanitizes a post body on every write: refuses (22023, in Chinese) a body that is not an array, larger than 200,000 bytes, nested more than 12 deep or with more than 20,000 parts, or with an image that is not a verified object of ours; then keeps only the allow-list (private.sanitize_post_nodes).';

revoke execute on function private.sanitize_post_nodes(jsonb), private.post_doc_text(jsonb), private.post_doc_from_text(text),
  private.sanitize_post_doc(jsonb) from public;

-- =====================================================================================================
-- revisions of published posts
-- =====================================================================================================
create table public.post_revisions (
  id bigint generated always as identity primary key,
  post_id uuid not null references public.posts (id) on delete cascade,
  editor_id uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  changes jsonb not null check (jsonb_typeof(changes) = 'object')
);
comment on table public.post_revisions is
  'Append-only: every change to a published post, who (editor_id; null for the system) and when, and what: {field: {from, to}} (the body as plain text). Readers see only posts.revised_at (更新于); authors and admins read the rows.';
create index post_revisions_post_idx on public.post_revisions (post_id, created_at desc);
create index post_revisions_editor_idx on public.post_revisions (editor_id);

alter table public.post_revisions enable row level security;
revoke all on public.post_revisions from anon, authenticated;
grant select on public.post_revisions to authenticated;
revoke update, delete, truncate on public.post_revisions from service_role;

create function private.can_manage_post(post uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.posts p
     where p.id = post
       and ((p.author_id = (select auth.uid()) and private.is_staff()) or private.is_admin())
  )
$$;
comment on function private.can_manage_post(uuid) is 'True when the caller may change the post: its author while staff, or an admin.';
revoke execute on function private.can_manage_post(uuid) from public;
grant execute on function private.can_manage_post(uuid) to authenticated, service_role;

create policy "authors and admins read revisions" on public.post_revisions
  for select to authenticated using (private.can_manage_post(post_id));

-- =====================================================================================================
-- the write trigger: sanitize, check, keep body and body_doc in step, record revisions
-- =====================================================================================================
create function private.post_write_rules() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_changes jsonb := '{}';
  v_field text;
  v_old jsonb;
  v_new jsonb;
begin
  if tg_op = 'UPDATE' then
    if new.author_id is distinct from old.author_id then
      raise exception '资讯的作者不能更改' using errcode = '42501', hint = 'author_fixed';
    end if;
    new.created_at := old.created_at;
    if new.read_count is distinct from old.read_count
       and (to_jsonb(new) - 'read_count' - 'updated_at') = (to_jsonb(old) - 'read_count' - 'updated_at') then
      new.updated_at := old.updated_at; -- a read is not an edit
      return new;
    end if;
  end if;

  -- the body: body_doc wins; plain text written alone becomes paragraphs (built here, so already safe).
  -- A null stays null, for the table's not-null checks to refuse.
  if tg_op = 'INSERT' then
    if new.body_doc = '[]'::jsonb and new.body <> '' then
      new.body_doc := private.post_doc_from_text(new.body);
      new.body := private.post_doc_text(new.body_doc);
    elsif new.body_doc is not null and new.body_doc <> '[]'::jsonb then
      new.body_doc := private.sanitize_post_doc(new.body_doc);
      new.body := private.post_doc_text(new.body_doc);
    end if;
  elsif new.body_doc is distinct from old.body_doc and new.body_doc is not null then
    new.body_doc := private.sanitize_post_doc(new.body_doc);
    new.body := private.post_doc_text(new.body_doc);
  elsif new.body is distinct from old.body and new.body is not null then
    new.body_doc := private.post_doc_from_text(new.body);
    new.body := private.post_doc_text(new.body_doc);
  end if;
  new.body := rtrim(new.body, E'\n');

  -- fields, with the message a person reads (the table's checks stand behind these; the title's own
  -- check answers direct writes, save_post checks it in Chinese)
  new.summary := btrim(new.summary);
  if char_length(new.summary) > 200 then
    raise exception '摘要最多200个字' using errcode = '22023', hint = 'summary';
  end if;
  if char_length(new.body) > 20000 then
    raise exception '正文最多20000个字' using errcode = '22023', hint = 'body_too_long';
  end if;
  if new.tags is not null then
    new.tags := coalesce((select array_agg(distinct btrim(t)) from unnest(new.tags) t where btrim(t) <> ''), '{}');
  end if;
  if cardinality(new.tags) > 8 then
    raise exception '标签最多8个' using errcode = '22023', hint = 'tags';
  end if;
  if exists (select 1 from unnest(new.tags) t where t !~ '^[^\s,，;；#]{1,10}$') then
    raise exception '每个标签为1到10个字，不含空格、逗号和#' using errcode = '22023', hint = 'tags';
  end if;
  new.region := coalesce(nullif(btrim(new.region), ''), '全市');
  if not (new.region = '全市' or new.region ~ '^[一-龥]{1,12}(区|县|市)([一-龥0-9]{1,20}(街道|镇|乡))?$') then
    raise exception '地区应为“全市”、一个区（如四方区）或一个街道（如四方区兴隆路街道）' using errcode = '22023', hint = 'region';
  end if;
  new.cover_path := nullif(btrim(new.cover_path), '');
  if new.cover_path is not null and (tg_op = 'INSERT' or new.cover_path is distinct from old.cover_path)
     and not (char_length(new.cover_path) <= 300 and private.is_clean_object_name(new.cover_path)
              and private.is_verified_object('post-covers', new.cover_path)) then
    raise exception '封面图片还没有上传完成或未通过检查，请重新上传' using errcode = '22023', hint = 'cover';
  end if;
  new.issuer := nullif(btrim(new.issuer), '');
  new.doc_number := nullif(btrim(new.doc_number), '');
  new.skills := nullif(btrim(new.skills), '');
  new.contact := nullif(btrim(new.contact), '');
  if char_length(new.issuer) > 60 or char_length(new.doc_number) > 60 then
    raise exception '发文机关和文号各最多60个字' using errcode = '22023', hint = 'issuer';
  end if;
  if new.effective_from is not null and new.effective_to is not null and new.effective_to < new.effective_from then
    raise exception '失效日期不能早于生效日期' using errcode = '22023', hint = 'effective';
  end if;
  if new.investment_min < 0 or new.investment_max < 0
     or (new.investment_min is not null and new.investment_max is not null and new.investment_min > new.investment_max) then
    raise exception '投资金额不能为负数，下限不能高于上限' using errcode = '22023', hint = 'investment';
  end if;
  if char_length(new.skills) > 200 then
    raise exception '所需技能最多200个字' using errcode = '22023', hint = 'skills';
  end if;
  if char_length(new.contact) > 100 then
    raise exception '联系方式最多100个字' using errcode = '22023', hint = 'contact';
  end if;

  -- a change to a post people can read keeps a revision, and readers see 更新于
  if tg_op = 'UPDATE' and old.status = 'published' and old.published_at <= now() then
    foreach v_field in array array['kind', 'title', 'summary', 'body', 'tags', 'region', 'cover_path', 'issuer',
                                   'doc_number', 'effective_from', 'effective_to', 'investment_min',
                                   'investment_max', 'skills', 'contact'] loop
      v_old := to_jsonb(old) -> v_field;
      v_new := to_jsonb(new) -> v_field;
      if v_old is distinct from v_new then
        v_changes := v_changes || jsonb_build_object(v_field, jsonb_build_object('from', v_old, 'to', v_new));
      end if;
    end loop;
    if v_changes <> '{}' then
      new.revised_at := now();
      insert into public.post_revisions (post_id, editor_id, changes) values (new.id, (select auth.uid()), v_changes);
    end if;
  end if;
  return new;
end
$$;
comment on function private.post_write_rules() is
  'Every insert and update of a post, by any path: the author never changes; the body is sanitized (body_doc) and its plain text kept in body; fields checked with messages for people; a change to a visible post writes a post_revisions row and sets revised_at.';

-- Fires after posts_touch (triggers run in name order), so a read-count update can keep updated_at.
create trigger posts_write_rules before insert or update on public.posts
  for each row execute function private.post_write_rules();

-- Old posts: their plain text becomes paragraphs. Neither an edit nor a revision, so without the
-- triggers (updated_at and revised_at stay as they were).
alter table public.posts disable trigger posts_write_rules;
alter table public.posts disable trigger posts_touch;
update public.posts set body_doc = private.post_doc_from_text(body) where body_doc = '[]'::jsonb and body <> '';
alter table public.posts enable trigger posts_touch;
alter table public.posts enable trigger posts_write_rules;

revoke execute on all functions in schema private from public;
