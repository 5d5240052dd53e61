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
