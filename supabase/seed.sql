-- Demo data for the local backend: believable people and posts of a street service centre.
-- Applied once, on a new database, after every migration. Never applied to production.

insert into public.profiles (id, display_name, role) values
  ('00000000-0000-4000-8000-000000000001', '王主任', 'admin'),
  ('00000000-0000-4000-8000-000000000002', '李管家', 'butler'),
  ('00000000-0000-4000-8000-000000000003', '张管家', 'butler'),
  ('00000000-0000-4000-8000-000000000011', '刘建国', 'worker'),
  ('00000000-0000-4000-8000-000000000012', '陈秀英', 'worker');

insert into public.posts (id, kind, title, summary, body, tags, status, pinned, published_at, author_id) values
  ('10000000-0000-4000-8000-000000000001', 'notice',
   '创业补贴集中申报时间安排（本月25日截止）',
   '本月创业补贴由创业管家统一收取材料，25日前提交的申报将纳入本月批次。',
   '各位创业朋友：本月一次性创业补贴、创业担保贷款贴息申报材料请于25日前在“申报”页提交。材料齐全的，由创业管家审核后统一报送区人社局。如有疑问，请在创业群里提问。',
   '{补贴,申报}', 'published', true, now() - interval '6 days', '00000000-0000-4000-8000-000000000001'),
  ('10000000-0000-4000-8000-000000000002', 'policy',
   '一次性创业补贴：去产能分流职工可申请',
   '首次创办小微企业或从事个体经营，正常经营6个月以上，可申请一次性创业补贴。',
   '申请条件：法定劳动年龄内、因去产能分流安置的职工，首次领取营业执照并正常经营6个月以上，依法缴纳社会保险。需准备：身份证、营业执照、经营场所证明、银行账户信息。',
   '{补贴}', 'published', false, now() - interval '1 day', '00000000-0000-4000-8000-000000000002'),
  ('10000000-0000-4000-8000-000000000003', 'policy',
   '创业担保贷款贴息政策解读',
   '个人最高可申请30万元创业担保贷款，符合条件的按规定给予贴息。',
   '个人创业可申请不超过30万元的创业担保贷款，小微企业最高不超过400万元。贷款期限最长3年，符合条件的由财政给予贴息。具体额度以经办银行审批为准。',
   '{贷款}', 'published', false, now() - interval '3 days', '00000000-0000-4000-8000-000000000003'),
  ('10000000-0000-4000-8000-000000000004', 'project',
   '社区早餐店：低门槛创业项目推荐',
   '投入约3万元，孵化基地提供场地和半年免租，适合有厨艺的朋友。',
   '项目介绍：依托社区孵化基地，经营早餐和便民餐。前期投入约3万元（设备、首批原料），基地提供半年免租场地和开业指导。',
   '{项目}', 'published', false, now() - interval '2 days', '00000000-0000-4000-8000-000000000002'),
  ('10000000-0000-4000-8000-000000000005', 'story',
   '从炼钢工到家政公司老板：刘师傅的再出发',
   '原青岛钢铁职工刘师傅参加家政培训后创办家政服务社，带动12名工友就业。',
   '刘师傅在钢厂干了二十六年。分流后，他参加了街道组织的家政服务培训，在创业管家帮助下申请了一次性创业补贴和担保贷款，如今服务社已有12名员工。',
   '{典型}', 'published', false, now() - interval '4 days', '00000000-0000-4000-8000-000000000001'),
  ('10000000-0000-4000-8000-000000000006', 'notice',
   '孵化基地12月开放日报名',
   '下月第一个周五，创业管家带大家参观孵化基地，现场答疑。',
   '开放日安排：上午参观创客空间，下午政策答疑。请在创业群内报名。',
   '{培训}', 'published', false, now() - interval '5 days', '00000000-0000-4000-8000-000000000003'),
  ('10000000-0000-4000-8000-000000000007', 'policy',
   '（草稿）场地租金补贴办法征求意见',
   '草稿：尚未发布。',
   '草稿内容，仅作者可见。',
   '{补贴}', 'draft', false, null, '00000000-0000-4000-8000-000000000002'),
  ('10000000-0000-4000-8000-000000000008', 'project',
   '（定时发布）咖啡师培训班招生',
   '定时发布：两天后对所有人可见。',
   '咖啡师、茶艺师培训班下月开班，培训合格可获证书和培训补贴。',
   '{培训}', 'published', false, now() + interval '2 days', '00000000-0000-4000-8000-000000000003');

-- WeChat identities of the demo people: `demo:<handle>` openids, reachable only through the local
-- backend's demo sign-in (wechat-login with code `demo:<handle>`).
insert into private.wechat_identities (user_id, openid) values
  ('00000000-0000-4000-8000-000000000001', 'demo:admin'),
  ('00000000-0000-4000-8000-000000000002', 'demo:butler1'),
  ('00000000-0000-4000-8000-000000000003', 'demo:butler2'),
  ('00000000-0000-4000-8000-000000000011', 'demo:worker1'),
  ('00000000-0000-4000-8000-000000000012', 'demo:worker2');

-- Staff and worker2 have finished onboarding; worker1 has not, so the onboarding journey can be tried.
insert into public.consents (user_id, purpose, version) values
  ('00000000-0000-4000-8000-000000000001', 'privacy_notice', '2026-11'),
  ('00000000-0000-4000-8000-000000000002', 'privacy_notice', '2026-11'),
  ('00000000-0000-4000-8000-000000000003', 'privacy_notice', '2026-11'),
  ('00000000-0000-4000-8000-000000000012', 'privacy_notice', '2026-11');
update public.profiles set district = '四方区兴隆路街道', onboarded_at = now() - interval '30 days'
 where id in ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003');
update public.profiles
   set district = '四方区兴隆路街道', former_employer = '青岛碱业', displaced_on = date '2025-06-30',
       startup_intention = '想开一家社区家政服务社', onboarded_at = now() - interval '10 days'
 where id = '00000000-0000-4000-8000-000000000012';

-- Groups (创业群): 兴隆路 with both butlers and worker2 as a member; worker1 is in no group yet (the
-- journey joins with the code XL2026). 辽源路 has butler2 alone: "another group" for access tests.
insert into public.groups (id, name, description, district, invite_code, created_by, created_at) values
  ('20000000-0000-4000-8000-000000000001', '兴隆路街道创业群',
   '兴隆路街道分流职工创业交流群：政策答疑、创业项目、补贴申报提醒。有问题请点“提问”，值班管家会按时答复。',
   '四方区兴隆路街道', 'XL2026', '00000000-0000-4000-8000-000000000001', now() - interval '30 days'),
  ('20000000-0000-4000-8000-000000000002', '辽源路街道创业群',
   '辽源路街道创业服务群。', '四方区辽源路街道', 'LY2026', '00000000-0000-4000-8000-000000000001', now() - interval '20 days');

insert into public.group_members (group_id, user_id, role, joined_at) values
  ('20000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'butler', now() - interval '30 days'),
  ('20000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003', 'butler', now() - interval '30 days'),
  ('20000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000012', 'member', now() - interval '9 days'),
  ('20000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', 'butler', now() - interval '20 days');

-- A conversation in 兴隆路 (published: the butlers' at once, worker2's after the content check), with
-- worker2's read mark before butler1's answer, so the demo opens with one unread message.
insert into public.group_messages (id, group_id, seq, rev, sender_id, kind, body, status, payload_hash, created_at, published_at) values
  ('30000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 1, 1, '00000000-0000-4000-8000-000000000002', 'text',
   '欢迎大家加入兴隆路街道创业群！政策问题请直接在群里提问，工作日9:00-17:30有管家值班。', 'published', md5('seed-1'), now() - interval '9 days', now() - interval '9 days'),
  ('30000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', 2, 2, '00000000-0000-4000-8000-000000000012', 'text',
   '李管家好，我想开家政服务社，一次性创业补贴需要准备哪些材料？', 'published', md5('seed-2'), now() - interval '2 days', now() - interval '2 days'),
  ('30000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000001', 3, 3, '00000000-0000-4000-8000-000000000002', 'text',
   '陈大姐好：身份证、营业执照、经营场所证明和银行账户信息。营业执照满6个月后就可以在“申报”页提交。', 'published', md5('seed-3'), now() - interval '2 days' + interval '20 minutes', now() - interval '2 days' + interval '20 minutes'),
  ('30000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000002', 1, 1, '00000000-0000-4000-8000-000000000003', 'text',
   '辽源路街道创业群开通了，欢迎大家。', 'published', md5('seed-4'), now() - interval '20 days', now() - interval '20 days');
insert into private.group_message_counters (group_id, last_value) values
  ('20000000-0000-4000-8000-000000000001', 3), ('20000000-0000-4000-8000-000000000002', 1);
update public.group_members set last_read_rev = 2
 where group_id = '20000000-0000-4000-8000-000000000001' and user_id = '00000000-0000-4000-8000-000000000012';
update public.group_members set last_read_rev = 3
 where group_id = '20000000-0000-4000-8000-000000000001' and user_id in ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003');

-- Question desk (问答): butler1 on duty in 兴隆路 from an hour ago for the next 30 days; two questions
-- of worker2 answered by butler1 (the first turned from worker2's chat message and accepted), the first
-- made an FAQ entry relying on the 一次性创业补贴 policy; shared canned replies of the group and one
-- personal reply of butler1.
insert into public.group_duty_shifts (id, group_id, butler_id, starts_at, ends_at, note, created_at) values
  ('40000000-0000-4000-8000-0000000000d1', '20000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
   now() - interval '1 hour', now() + interval '30 days', '日常值班', now() - interval '1 hour');

insert into public.group_questions (id, group_id, asker_id, source_message_id, title, body, owner_id, due_at, created_at) values
  ('40000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000012',
   '30000000-0000-4000-8000-000000000002', '一次性创业补贴需要准备哪些材料？', '我想开家政服务社，想申请一次性创业补贴。',
   '00000000-0000-4000-8000-000000000002', private.add_working_minutes(now() - interval '2 days' + interval '1 minute', 120),
   now() - interval '2 days' + interval '1 minute'),
  ('40000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000012',
   null, '创业担保贷款能贷多少？', '想扩大店面，问问担保贷款的额度和期限。',
   '00000000-0000-4000-8000-000000000002', private.add_working_minutes(now() - interval '1 day', 120), now() - interval '1 day');

insert into public.group_question_replies (id, question_id, group_id, author_id, body, created_at) values
  ('41000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001',
   '00000000-0000-4000-8000-000000000002',
   '需要身份证、营业执照、经营场所证明和本人银行账户信息；正常经营满6个月后，在“申报”页提交，管家审核后统一报送。',
   now() - interval '2 days' + interval '40 minutes'),
  ('41000000-0000-4000-8000-000000000002', '40000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001',
   '00000000-0000-4000-8000-000000000002',
   '个人最高可申请30万元，期限最长3年，符合条件的可享受贴息。具体额度以经办银行审批为准。',
   now() - interval '1 day' + interval '25 minutes');

update public.group_questions q
   set status = case when q.id = '40000000-0000-4000-8000-000000000001' then 'accepted' else 'answered' end::public.question_status,
       answer_reply_id = r.id, first_answered_at = r.created_at, answered_at = r.created_at,
       accepted_at = case when q.id = '40000000-0000-4000-8000-000000000001' then r.created_at + interval '1 hour' end
  from public.group_question_replies r
 where r.question_id = q.id;

insert into public.group_question_events (question_id, group_id, actor_id, kind, from_status, to_status, owner_id, created_at)
select q.id, q.group_id, e.actor, e.kind, e.from_status::public.question_status, e.to_status::public.question_status,
       q.owner_id, q.created_at + e.after
  from public.group_questions q
 cross join lateral (values
   (q.asker_id, 'asked', null, 'open', interval '0'),
   (null::uuid, 'assigned', 'open', 'open', interval '0'),
   (q.owner_id, 'replied', 'open', 'open', q.first_answered_at - q.created_at),
   (q.owner_id, 'answer_marked', 'open', 'answered', q.first_answered_at - q.created_at),
   (q.asker_id, case when q.status = 'accepted' then 'accepted' end, 'answered', 'accepted', interval '1 hour' + (q.first_answered_at - q.created_at))
 ) e(actor, kind, from_status, to_status, after)
 where q.group_id = '20000000-0000-4000-8000-000000000001' and e.kind is not null;

insert into public.group_faqs (id, group_id, question, answer, source_question_id, policy_post_id, created_by, created_at) values
  ('42000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001',
   '一次性创业补贴需要准备哪些材料？',
   '身份证、营业执照、经营场所证明、本人银行账户信息。正常经营满6个月后在“申报”页提交，创业管家审核后每月集中报送。',
   '40000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002',
   '00000000-0000-4000-8000-000000000002', now() - interval '2 days');

insert into public.canned_replies (group_id, owner_id, title, body, created_by) values
  ('20000000-0000-4000-8000-000000000001', null, '已收到', '您好，问题已收到，值班管家会在2个工作小时内答复您。',
   '00000000-0000-4000-8000-000000000002'),
  ('20000000-0000-4000-8000-000000000001', null, '补贴材料', '一次性创业补贴需要：身份证、营业执照、经营场所证明、本人银行账户信息。',
   '00000000-0000-4000-8000-000000000002'),
  ('20000000-0000-4000-8000-000000000001', null, '孵化基地', '孵化基地每月第一个周五开放参观，请在群里报名。',
   '00000000-0000-4000-8000-000000000003'),
  (null, '00000000-0000-4000-8000-000000000002', '稍等查询', '稍等，我查一下最新政策再回复您。', '00000000-0000-4000-8000-000000000002');
-- =====================================================================================================
-- Posts of issue 11: regions, policy fields, a rich body, a revision, follows, bookmarks, reads, a lead.
-- New published posts here are for a district or a street (not 全市): someone signed out, and worker1
-- (no district yet), still see exactly the six city-wide posts above.
-- =====================================================================================================
update public.profiles set district = '四方区兴隆路街道' where id = '00000000-0000-4000-8000-000000000002';
update public.profiles set district = '四方区水清沟街道' where id = '00000000-0000-4000-8000-000000000003';

insert into public.posts (id, kind, title, summary, body_doc, tags, region, status, pinned, published_at, author_id,
                          issuer, doc_number, effective_from, effective_to, investment_min, investment_max, skills, contact,
                          archived_at) values
  ('10000000-0000-4000-8000-000000000011', 'policy',
   '四方区创业场地租金补贴申领指南',
   '在孵化基地或社区创业场地经营的，可按实际租金的50%申请补贴，每年最高1万元。',
   '[{"name":"h2","children":[{"type":"text","text":"谁可以申请"}]},
     {"name":"p","children":[{"type":"text","text":"在四方区登记注册、租用经营场地的去产能分流职工创办的小微企业和个体工商户。"}]},
     {"name":"h2","children":[{"type":"text","text":"补贴标准"}]},
     {"name":"ul","children":[
       {"name":"li","children":[{"type":"text","text":"按实际租金的"},{"name":"strong","children":[{"type":"text","text":"50%"}]},{"type":"text","text":"补贴"}]},
       {"name":"li","children":[{"type":"text","text":"每户每年最高1万元，最长补贴3年"}]}]},
     {"name":"p","children":[{"type":"text","text":"政策原文见"},{"name":"a","attrs":{"href":"https://www.qingdao.gov.cn/"},"children":[{"type":"text","text":"青岛市人民政府网站"}]},{"type":"text","text":"。"}]}]',
   '{补贴,场地}', '四方区', 'published', false, now() - interval '20 hours', '00000000-0000-4000-8000-000000000002',
   '青岛市四方区人力资源和社会保障局', '四人社发〔2026〕12号', date '2026-01-01', date '2028-12-31', null, null, null, null, null),
  ('10000000-0000-4000-8000-000000000012', 'policy',
   '个体经营税费减免：分流职工每年最高扣减2万元',
   '从事个体经营的，3年内按每户每年2万元限额依次扣减增值税、城市维护建设税等税费。',
   '[{"name":"p","children":[{"type":"text","text":"持《就业创业证》的去产能分流职工从事个体经营，自办理个体工商户登记当月起，在3年内按每户每年20000元为限额依次扣减当年实际应缴纳的增值税、城市维护建设税、教育费附加和个人所得税。"}]},
     {"name":"p","children":[{"type":"text","text":"办理：向主管税务机关备案，创业管家可协助准备材料。"}]}]',
   '{税费}', '四方区', 'published', false, now() - interval '30 hours', '00000000-0000-4000-8000-000000000003',
   '国家税务总局青岛市四方区税务局', '青税发〔2026〕5号', date '2026-01-01', date '2027-12-31', null, null, null, null, null),
  ('10000000-0000-4000-8000-000000000013', 'notice',
   '兴隆路街道电工、焊工培训班报名',
   '12月中旬开班，培训合格发证，参加培训的分流职工可申请培训补贴。',
   '[{"name":"p","children":[{"type":"text","text":"兴隆路街道与区职业培训学校合办电工、焊工培训班，每班30人，报名截止12月10日。"}]},
     {"name":"ol","children":[
       {"name":"li","children":[{"type":"text","text":"在创业群里向创业管家报名"}]},
       {"name":"li","children":[{"type":"text","text":"带身份证到街道人社中心确认"}]}]}]',
   '{培训}', '四方区兴隆路街道', 'published', false, now() - interval '10 hours', '00000000-0000-4000-8000-000000000002',
   null, null, null, null, null, null, null, null, null),
  ('10000000-0000-4000-8000-000000000014', 'project',
   '社区家政服务站：兴隆路街道招募合伙人',
   '投入2万至5万元，街道提供场地和客源对接，适合做过家政或护理的朋友。',
   '[{"name":"p","children":[{"type":"text","text":"兴隆路街道社区家政服务站面向分流职工招募合伙人，承接保洁、育婴、养老陪护订单。"}]},
     {"name":"p","children":[{"type":"text","text":"街道提供一年免租场地，孵化基地提供开业指导；可申请一次性创业补贴和创业担保贷款。"}]}]',
   '{项目,培训}', '四方区兴隆路街道', 'published', false, now() - interval '8 hours', '00000000-0000-4000-8000-000000000002',
   null, null, null, null, 20000, 50000, '家政服务或育婴员、养老护理员证书优先', '兴隆路街道人社中心 李管家 0532-80000001', null),
  ('10000000-0000-4000-8000-000000000015', 'policy',
   '市北区孵化基地入驻补贴',
   '入驻市北区创业孵化基地的初创企业，前两年免收场地租金。',
   '[{"name":"p","children":[{"type":"text","text":"入驻市北区创业孵化基地的初创企业，前两年免收场地租金，第三年减半。"}]}]',
   '{补贴,场地}', '市北区', 'published', false, now() - interval '16 hours', '00000000-0000-4000-8000-000000000001',
   '青岛市市北区人力资源和社会保障局', '北人社发〔2026〕8号', date '2026-03-01', null, null, null, null, null, null),
  ('10000000-0000-4000-8000-000000000016', 'story',
   '从碱厂化验员到社区烘焙坊：陈大姐的第二次创业',
   '原青岛碱业职工陈大姐用创业担保贷款开了烘焙坊，如今有4名员工。',
   '[{"name":"p","children":[{"type":"text","text":"陈大姐在碱厂做了二十年化验员。分流后，她在孵化基地学了烘焙，用10万元创业担保贷款开了社区烘焙坊。"}]}]',
   '{典型}', '四方区', 'published', false, now() - interval '40 hours', '00000000-0000-4000-8000-000000000001',
   null, null, null, null, null, null, null, null, null),
  ('10000000-0000-4000-8000-000000000017', 'project',
   '（草稿）社区便民维修点项目',
   '草稿：尚未发布。',
   '[{"name":"p","children":[{"type":"text","text":"草稿内容，仅作者和管理员可见。"}]}]',
   '{项目}', '四方区水清沟街道', 'draft', false, null, '00000000-0000-4000-8000-000000000003',
   null, null, null, null, 5000, 20000, '电工、水暖工', null, null),
  ('10000000-0000-4000-8000-000000000018', 'notice',
   '2025年度创业补贴申报通知（已结束）',
   '2025年度申报已经结束，本通知已归档。',
   '[{"name":"p","children":[{"type":"text","text":"2025年度一次性创业补贴申报已于12月31日结束。"}]}]',
   '{补贴,申报}', '四方区兴隆路街道', 'published', false, now() - interval '300 days', '00000000-0000-4000-8000-000000000002',
   null, null, null, null, null, null, null, null, now() - interval '200 days');

-- The loan policy gets its issuing body and document number, as butler2 (张管家): a published post's
-- change keeps a revision, and readers see 更新于.
select set_config('request.jwt.claims', '{"sub":"00000000-0000-4000-8000-000000000003","role":"authenticated"}', false);
update public.posts
   set issuer = '青岛市人力资源和社会保障局', doc_number = '青人社规〔2026〕3号', effective_from = date '2026-01-01',
       summary = '个人最高可申请30万元创业担保贷款，符合条件的按规定给予贴息（2026年起执行）。'
 where id = '10000000-0000-4000-8000-000000000003';
select set_config('request.jwt.claims', '', false);

-- worker2 follows 补贴 and 培训, bookmarked and read a few posts, and is interested in the 家政 project.
insert into public.tag_follows (user_id, tag) values
  ('00000000-0000-4000-8000-000000000012', '补贴'),
  ('00000000-0000-4000-8000-000000000012', '培训');
insert into public.post_bookmarks (user_id, post_id, created_at) values
  ('00000000-0000-4000-8000-000000000012', '10000000-0000-4000-8000-000000000011', now() - interval '5 hours'),
  ('00000000-0000-4000-8000-000000000012', '10000000-0000-4000-8000-000000000013', now() - interval '2 days');
insert into private.post_reads (post_id, user_id) values
  ('10000000-0000-4000-8000-000000000011', '00000000-0000-4000-8000-000000000012'),
  ('10000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000012'),
  ('10000000-0000-4000-8000-000000000014', '00000000-0000-4000-8000-000000000012'),
  ('10000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002');
update public.posts p set read_count = (select count(*) from private.post_reads r where r.post_id = p.id)
 where p.id in (select post_id from private.post_reads);
insert into public.project_leads (post_id, worker_id, butler_id, note) values
  ('10000000-0000-4000-8000-000000000014', '00000000-0000-4000-8000-000000000012', '00000000-0000-4000-8000-000000000003',
   '做过两年家政，想了解加盟费用');

-- Subsidy programmes (补贴项目): the four of the demo catalogue, with realistic Qingdao amounts, rules and
-- materials (../shared/data/subsidy-programmes.md). Admins edit them on 补贴项目管理.
insert into public.subsidy_programmes (id, code, name, summary, description, amount_rule, default_amount, max_amount,
                                       opens_on, closes_on, eligibility, materials, sort_order) values
  ('60000000-0000-4000-8000-000000000001', 'startup_once', '一次性创业补贴',
   '分流职工、登记失业人员首次创业，可申请一次性创业补贴1万元。',
   '登记失业人员（含企业分流职工）在本市首次创办个体工商户、小微企业、民办非企业单位或网店，取得营业执照并正常经营，可申请一次性创业补贴。每人限享受一次。',
   '每人一次性补贴10000元', 10000, 10000, date '2026-01-01', null,
   '[{"rule":"displaced_worker"},{"rule":"has_business"},{"rule":"registered_within_months","value":24},{"rule":"not_granted_before"}]',
   '[{"key":"id_card","name":"身份证正反面","kind":"photo","required":true,"max_files":2,"example":"","hint":"拍清四个角，不要反光"},
     {"key":"business_licence","name":"营业执照","kind":"photo_or_pdf","required":true,"max_files":1,"example":"","hint":"正本或副本均可"},
     {"key":"unemployment_proof","name":"失业登记证明或就业创业证","kind":"photo_or_pdf","required":true,"max_files":2,"example":"","hint":"分流职工可提供原单位出具的分流证明"},
     {"key":"bank_card","name":"本人银行卡","kind":"photo","required":true,"max_files":1,"example":"","hint":"拍卡号一面，补贴发放到这张卡"}]',
   10),
  ('60000000-0000-4000-8000-000000000002', 'loan_interest', '创业担保贷款贴息',
   '个人最高15万元、小微企业最高45万元的创业担保贷款，按规定给予2年贴息。',
   '符合条件的创业者经创业担保贷款基金担保取得贷款，按期还款的，财政按规定给予贴息，贴息期限最长2年。',
   '按实际支付利息的一定比例贴息，单笔最高以核定金额为准', null, 30000, date '2026-01-01', null,
   '[{"rule":"has_business"},{"rule":"not_granted_before"}]',
   '[{"key":"id_card","name":"身份证正反面","kind":"photo","required":true,"max_files":2,"example":"","hint":""},
     {"key":"business_licence","name":"营业执照","kind":"photo_or_pdf","required":true,"max_files":1,"example":"","hint":""},
     {"key":"loan_contract","name":"借款合同","kind":"pdf","required":true,"max_files":1,"example":"","hint":"扫描成PDF上传"},
     {"key":"interest_receipts","name":"利息支付凭证","kind":"photo_or_pdf","required":true,"max_files":6,"example":"","hint":"银行出具的付息清单"},
     {"key":"bank_card","name":"本人银行卡","kind":"photo","required":true,"max_files":1,"example":"","hint":""}]',
   20),
  ('60000000-0000-4000-8000-000000000003', 'rent', '场地租金补贴',
   '入驻创业孵化基地或租用经营场所的创业者，可享受免租或租金补贴。',
   '在创业孵化基地内创业的可免租半年；在基地外租用经营场所的，按实际租金给予一定比例补贴，最长不超过2年。',
   '按实际租金的50%补贴，每年最高6000元', null, 6000, date '2026-01-01', null,
   '[{"rule":"has_business"},{"rule":"has_lease"},{"rule":"social_insurance_months","value":3}]',
   '[{"key":"id_card","name":"身份证正反面","kind":"photo","required":true,"max_files":2,"example":"","hint":""},
     {"key":"business_licence","name":"营业执照","kind":"photo_or_pdf","required":true,"max_files":1,"example":"","hint":""},
     {"key":"lease_contract","name":"场地租赁合同","kind":"pdf","required":true,"max_files":1,"example":"","hint":"合同须在有效期内"},
     {"key":"rent_receipts","name":"租金发票或付款凭证","kind":"photo_or_pdf","required":true,"max_files":4,"example":"","hint":""},
     {"key":"bank_card","name":"本人银行卡","kind":"photo","required":true,"max_files":1,"example":"","hint":""}]',
   30),
  ('60000000-0000-4000-8000-000000000004', 'job_creation', '带动就业补贴',
   '新创办企业吸纳登记失业人员就业并缴纳社会保险，每个岗位补贴2000元。',
   '创业者创办的企业吸纳登记失业人员就业，签订1年以上劳动合同并为其缴纳社会保险的，按吸纳人数给予补贴。',
   '每带动1人就业补贴2000元，最多补贴5人', 2000, 10000, date '2026-01-01', null,
   '[{"rule":"has_business"},{"rule":"employees_at_least","value":1},{"rule":"social_insurance_months","value":6}]',
   '[{"key":"id_card","name":"身份证正反面","kind":"photo","required":true,"max_files":2,"example":"","hint":""},
     {"key":"business_licence","name":"营业执照","kind":"photo_or_pdf","required":true,"max_files":1,"example":"","hint":""},
     {"key":"employee_list","name":"吸纳就业人员名单及社保缴费记录","kind":"pdf","required":true,"max_files":2,"example":"","hint":"社保缴费记录可在人社局网站打印"},
     {"key":"labour_contracts","name":"劳动合同","kind":"pdf","required":true,"max_files":5,"example":"","hint":""},
     {"key":"bank_card","name":"本人银行卡","kind":"photo","required":true,"max_files":1,"example":"","hint":""}]',
   40);

-- Applications of 陈秀英 (worker2) in 兴隆路, so reviewers and access tests have someone's rows: a draft
-- of the rent subsidy, a submitted 带动就业补贴 waiting for review, and a 一次性创业补贴 approved by 李管家 into
-- this month's 兴隆路 batch. (刘建国, worker1, is in no group: he joins one before applying.)
insert into public.application_batches (id, street, month, cutoff_at, created_at)
select '70000000-0000-4000-8000-000000000001', '四方区兴隆路街道', m, private.batch_cutoff(m), now() - interval '6 days'
  from (select date_trunc('month', now() at time zone 'Asia/Shanghai')::date as m) x;

insert into public.applications (id, applicant_id, programme_id, group_id, street, status, consent_notice_version, consented_at,
                                 real_name, resident_id, phone, bank_name, bank_account, business_name, credit_code,
                                 registered_on, employees, requested_amount, approved_amount, reviewer_id, batch_id,
                                 submitted_at, decided_at, created_at) values
  ('50000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000012', '60000000-0000-4000-8000-000000000003',
   '20000000-0000-4000-8000-000000000001', '四方区兴隆路街道', 'draft', '2026-12', now() - interval '1 day',
   '陈秀英', '370203196808234012', '13953201234', null, null, null, null, null, null, null, null, null, null,
   null, null, now() - interval '1 day'),
  ('50000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000012', '60000000-0000-4000-8000-000000000004',
   '20000000-0000-4000-8000-000000000001', '四方区兴隆路街道', 'submitted', '2026-12', now() - interval '3 days',
   '陈秀英', '370203196808234012', '13953201234', '青岛银行兴隆路支行', '6231900012345678901', '秀英家政服务部',
   '92370203MA3C4X8Y1U', current_date - 200, 2, 4000, null, null, null,
   now() - interval '2 days', null, now() - interval '3 days'),
  ('50000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000012', '60000000-0000-4000-8000-000000000001',
   '20000000-0000-4000-8000-000000000001', '四方区兴隆路街道', 'approved', '2026-12', now() - interval '6 days',
   '陈秀英', '370203196808234012', '13953201234', '青岛银行兴隆路支行', '6231900012345678901', '秀英家政服务部',
   '92370203MA3C4X8Y1U', current_date - 200, 2, 10000, 10000, '00000000-0000-4000-8000-000000000002',
   '70000000-0000-4000-8000-000000000001', now() - interval '5 days', now() - interval '4 days', now() - interval '6 days');

insert into public.application_events (application_id, actor_id, from_status, to_status, note, detail, created_at) values
  ('50000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000012', 'draft', 'submitted', '', '{}', now() - interval '2 days'),
  ('50000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000012', 'draft', 'submitted', '', '{}', now() - interval '5 days'),
  ('50000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'submitted', 'under_review', '', '{}', now() - interval '5 days' + interval '2 hours'),
  ('50000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'under_review', 'approved', '材料齐全，符合条件',
   '{"amount": 10000, "batch_id": "70000000-0000-4000-8000-000000000001"}', now() - interval '4 days');
