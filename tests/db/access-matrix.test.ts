/**
 * The access matrix of the identity and feed tables: every persona × select / insert / update / delete,
 * through supabase-js against the local backend, plus every path a person might try to change their own
 * role, WeChat openid or consent history.
 *
 * How to read a cell:
 *   sees(a, b)  select succeeds and shows exactly these rows (people by seed handle, posts by name)
 *   ONE         the write succeeds and changes one row
 *   NONE        "allowed but 0 rows affected": the grant lets the statement run, RLS hides every row it
 *               targets, and PostgREST answers success (204) with a count of 0. Not an error.
 *   OK          the function call succeeds
 *   DENY_ANON   401 42501 permission denied for <table/function>: no grant to anon
 *   DENY        403 42501 permission denied for <table/function>: no grant (table, column or function)
 *   RLS         403 42501 new row violates row-level security policy: granted, but a policy refuses it
 *   err(…)      that exact status, SQLSTATE and message
 *   NOT_EXPOSED 404 PGRST205 / PGRST202: not in the API at all (the `private` schema)
 *
 * Every cell that is denied, or changes nothing, also checks that no row anywhere changed; after every
 * test the data goes back to the fixtures (tests/support/db-state.ts), so cells are independent.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DENY, DENY_ANON, describeMatrix, err, labeller, NO_FUNCTION, NO_TABLE, NONE, NOT_NULL, OK, ONE, PRIVATE_SCHEMA, RLS, sees, untyped,
  type ActionProbe, type MatrixRow, type Result,
} from '../support/access-matrix'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, people } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { personas, type Personas } from '../support/personas'
import { LOCAL_WECHAT_TEMPLATES } from '../../supabase/local/wechat/templates'

// ---------------------------------------------------------------------------------------------------
// fixtures: the seed, plus phone numbers, bookmarks, one more consent and a role history
// ---------------------------------------------------------------------------------------------------

const posts = {
  deadline: '10000000-0000-4000-8000-000000000001', // admin, pinned notice
  subsidy: '10000000-0000-4000-8000-000000000002', // butler1, published
  loan: '10000000-0000-4000-8000-000000000003', // butler2, published
  breakfast: '10000000-0000-4000-8000-000000000004', // butler1, published
  story: '10000000-0000-4000-8000-000000000005', // admin, published
  openDay: '10000000-0000-4000-8000-000000000006', // butler2, published
  draft: '10000000-0000-4000-8000-000000000007', // butler1, draft
  scheduled: '10000000-0000-4000-8000-000000000008', // butler2, published two days from now
  // regional posts (issue 11): a worker sees 全市, their district and their street; staff see every region
  rentSifang: '10000000-0000-4000-8000-000000000011', // butler1, 四方区
  taxSifang: '10000000-0000-4000-8000-000000000012', // butler2, 四方区
  trainingXinglong: '10000000-0000-4000-8000-000000000013', // butler1, 四方区兴隆路街道
  projectXinglong: '10000000-0000-4000-8000-000000000014', // butler1, 四方区兴隆路街道
  incubatorShibei: '10000000-0000-4000-8000-000000000015', // admin, 市北区
  storySifang: '10000000-0000-4000-8000-000000000016', // admin, 四方区
  draftShuiqinggou: '10000000-0000-4000-8000-000000000017', // butler2, draft, 四方区水清沟街道
  archivedXinglong: '10000000-0000-4000-8000-000000000018', // butler1, archived, 四方区兴隆路街道
} as const

const FIXTURES = `
  insert into public.profile_contacts (user_id, phone) values
    ('${people.worker1}', '13800000011'), ('${people.worker2}', '13800000012'), ('${people.butler1}', '13800000002');
  insert into public.post_bookmarks (user_id, post_id) values
    ('${people.worker1}', '${posts.subsidy}'), ('${people.worker2}', '${posts.subsidy}'), ('${people.butler1}', '${posts.loan}');
  insert into public.consents (user_id, purpose, version) values ('${people.worker1}', 'personal_info', '2026-11');
  insert into public.role_changes (user_id, old_role, new_role, changed_by) values
    ('${people.butler1}', 'worker', 'butler', '${people.admin}'), ('${people.butler2}', 'worker', 'butler', '${people.admin}');
  insert into public.push_subscriptions (user_id, template, remaining) values
    ('${people.worker1}', 'account_change', 2), ('${people.worker2}', 'account_change', 1);
  select private.notify('${people.worker2}', 'matrix', '矩阵测试通知', '', null, '{}', 'matrix:worker2');
`

const label = labeller(people, posts)

const everyone = ['admin', 'butler1', 'butler2', 'worker1', 'worker2']
const authors = ['admin', 'butler1', 'butler2']
const published = ['deadline', 'subsidy', 'loan', 'breakfast', 'story', 'openDay']
/** Visible posts of worker2's district (四方区) and street (四方区兴隆路街道), archived included. */
const sifangXinglong = ['rentSifang', 'taxSifang', 'storySifang', 'trainingXinglong', 'projectXinglong']
/** Every visible post in the feed (not archived), whatever its region: what staff and the service role read. */
const allLive = [...published, ...sifangXinglong, 'incubatorShibei']

// ---------------------------------------------------------------------------------------------------
// expectations
// ---------------------------------------------------------------------------------------------------

const ADMINS_ONLY = err(403, '42501', '只有管理员可以设置角色')
const NOT_MY_AVATAR = err(403, '42501', '只能使用自己上传的头像')
/** The author of a post never changes, not even by the service role (people have no column grant for it). */
const AUTHOR_FIXED = err(403, '42501', '资讯的作者不能更改')
const ONLY_WORKERS = err(403, '42501', '创业管家和管理员的账号是工作账号，请先请管理员把您的角色改为职工，再注销账号。')
const LAST_ADMIN = err(400, 'P0001', '您是唯一的管理员，不能注销账号。请先把另一位同事设为管理员。')

// ---------------------------------------------------------------------------------------------------
// probes: one request each, the same for every persona
// ---------------------------------------------------------------------------------------------------

const { worker1, worker2, butler1, admin } = people
const newProfileId = '00000000-0000-4000-8000-0000000000a1'
const missingPost = '10000000-0000-4000-8000-0000000000ff'

const probes = {
  // profiles ------------------------------------------------------------------------------------------
  'profiles: select id, display_name': {
    object: 'table profiles', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('profiles').select('id, display_name'),
  },
  'profiles: select id, display_name, avatar_path': {
    object: 'table profiles', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('profiles').select('id, display_name, avatar_path'),
  },
  'profiles: select every column': {
    object: 'table profiles', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('profiles').select('*'),
  },
  "profiles: select worker2's former_employer": {
    object: 'table profiles', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('profiles').select('id, former_employer').eq('id', worker2),
  },
  'profiles: insert a new profile': {
    object: 'table profiles', action: 'insert',
    run: (c) => c.from('profiles').insert({ id: newProfileId, display_name: '新用户' }, { count: 'exact' }),
  },
  'profiles: upsert worker1 as admin (insert … on conflict do update)': {
    object: 'table profiles', action: 'insert',
    run: (c) => c.from('profiles').upsert({ id: worker1, display_name: '刘建国', role: 'admin' }, { onConflict: 'id', count: 'exact' }),
    // worker1 exists: PostgREST answers 200 when an upsert created no row.
    successStatus: 200,
  },
  'profiles: update worker1 display_name': {
    object: 'table profiles', action: 'update',
    run: (c) => c.from('profiles').update({ display_name: '刘建国' }, { count: 'exact' }).eq('id', worker1),
  },
  'profiles: update worker1 role to admin': {
    object: 'table profiles', action: 'update',
    run: (c) => c.from('profiles').update({ role: 'admin' }, { count: 'exact' }).eq('id', worker1),
  },
  'profiles: update worker1 privacy_version': {
    object: 'table profiles', action: 'update',
    run: (c) => c.from('profiles').update({ privacy_version: '2026-11' }, { count: 'exact' }).eq('id', worker1),
  },
  'profiles: update worker1 onboarded_at': {
    object: 'table profiles', action: 'update',
    run: (c) => c.from('profiles').update({ onboarded_at: new Date().toISOString() }, { count: 'exact' }).eq('id', worker1),
  },
  'profiles: update worker1 id': {
    object: 'table profiles', action: 'update',
    run: (c) => c.from('profiles').update({ id: newProfileId }, { count: 'exact' }).eq('id', worker1),
  },
  'profiles: update worker1 avatar_path': {
    object: 'table profiles', action: 'update',
    run: (c) => c.from('profiles').update({ avatar_path: null }, { count: 'exact' }).eq('id', worker1),
  },
  'profiles: delete worker1': {
    object: 'table profiles', action: 'delete',
    run: (c) => c.from('profiles').delete({ count: 'exact' }).eq('id', worker1),
  },

  'rpc: full_profiles': {
    object: 'function full_profiles', action: 'call', rowLabel: (r) => label(r.id),
    run: (c) => c.rpc('full_profiles').select('id, district, former_employer, displaced_on, startup_intention'),
  },
  "rpc: full_profiles filtered to worker2 (a butler reading a worker's profile)": {
    object: 'function full_profiles', action: 'call', rowLabel: (r) => label(r.id),
    run: (c) => c.rpc('full_profiles').select('id, former_employer').eq('id', worker2),
  },
  'rpc: full_profiles filtered to worker1 (in no group yet)': {
    object: 'function full_profiles', action: 'call', rowLabel: (r) => label(r.id),
    run: (c) => c.rpc('full_profiles').select('id, former_employer').eq('id', worker1),
  },

  // consents ------------------------------------------------------------------------------------------
  'consents: select': {
    object: 'table consents', action: 'select', rowLabel: (r) => label(r.user_id),
    run: (c) => c.from('consents').select('user_id, purpose, version'),
  },
  'consents: insert own consent (purpose, version)': {
    object: 'table consents', action: 'insert',
    run: (c) => c.from('consents').insert({ purpose: 'privacy_notice', version: '2026-11' }, { count: 'exact' }),
  },
  'consents: insert a consent for worker1 (user_id given)': {
    object: 'table consents', action: 'insert',
    run: (c) => c.from('consents').insert({ user_id: worker1, purpose: 'privacy_notice', version: '2026-11' }, { count: 'exact' }),
  },
  'consents: insert a backdated consent (accepted_at given)': {
    object: 'table consents', action: 'insert',
    run: (c) => c.from('consents').insert({ purpose: 'privacy_notice', version: '2026-11', accepted_at: '2020-01-01T00:00:00Z' }, { count: 'exact' }),
  },
  'consents: insert a withdrawal directly (withdrawn given)': {
    object: 'table consents', action: 'insert',
    run: (c) => c.from('consents').insert({ purpose: 'privacy_notice', version: '2026-11', withdrawn: true }, { count: 'exact' }),
  },
  'consents: update worker2 consent to withdrawn': {
    object: 'table consents', action: 'update',
    run: (c) => c.from('consents').update({ withdrawn: true }, { count: 'exact' }).eq('user_id', worker2),
  },
  'consents: update worker2 consent version': {
    object: 'table consents', action: 'update',
    run: (c) => c.from('consents').update({ version: '2099-01' }, { count: 'exact' }).eq('user_id', worker2),
  },
  'consents: delete worker2 consents': {
    object: 'table consents', action: 'delete',
    run: (c) => c.from('consents').delete({ count: 'exact' }).eq('user_id', worker2),
  },

  // role_changes --------------------------------------------------------------------------------------
  'role_changes: select': {
    object: 'table role_changes', action: 'select', rowLabel: (r) => label(r.user_id),
    run: (c) => c.from('role_changes').select('user_id, old_role, new_role'),
  },
  'role_changes: insert an audit row (worker1 made admin)': {
    object: 'table role_changes', action: 'insert',
    run: (c) => c.from('role_changes').insert({ user_id: worker1, old_role: 'worker', new_role: 'admin', changed_by: worker1 }, { count: 'exact' }),
  },
  'role_changes: update butler1 audit row (new_role to admin)': {
    object: 'table role_changes', action: 'update',
    run: (c) => c.from('role_changes').update({ new_role: 'admin' }, { count: 'exact' }).eq('user_id', butler1),
  },
  'role_changes: delete butler1 audit rows': {
    object: 'table role_changes', action: 'delete',
    run: (c) => c.from('role_changes').delete({ count: 'exact' }).eq('user_id', butler1),
  },

  // profile_contacts ----------------------------------------------------------------------------------
  'profile_contacts: select': {
    object: 'table profile_contacts', action: 'select', rowLabel: (r) => label(r.user_id),
    run: (c) => c.from('profile_contacts').select('user_id, phone'),
  },
  'profile_contacts: insert a phone number for admin': {
    object: 'table profile_contacts', action: 'insert',
    run: (c) => c.from('profile_contacts').insert({ user_id: admin, phone: '13800000001' }, { count: 'exact' }),
  },
  'profile_contacts: update worker1 phone': {
    object: 'table profile_contacts', action: 'update',
    run: (c) => c.from('profile_contacts').update({ phone: '13900000000' }, { count: 'exact' }).eq('user_id', worker1),
  },
  'profile_contacts: delete worker1 phone': {
    object: 'table profile_contacts', action: 'delete',
    run: (c) => c.from('profile_contacts').delete({ count: 'exact' }).eq('user_id', worker1),
  },

  // posts ---------------------------------------------------------------------------------------------
  'posts: select': {
    object: 'table posts', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('posts').select('id'),
  },
  'posts: insert a draft as oneself (author_id by default)': {
    object: 'table posts', action: 'insert',
    run: (c) => c.from('posts').insert({ kind: 'notice', title: '矩阵测试草稿' }, { count: 'exact' }),
  },
  'posts: insert a draft as butler1 (author_id given)': {
    object: 'table posts', action: 'insert',
    run: (c) => c.from('posts').insert({ kind: 'notice', title: '矩阵测试草稿', author_id: butler1 }, { count: 'exact' }),
  },
  "posts: update butler1's published post (title)": {
    object: 'table posts', action: 'update',
    run: (c) => c.from('posts').update({ title: '一次性创业补贴：去产能分流职工可申请' }, { count: 'exact' }).eq('id', posts.subsidy),
  },
  "posts: update butler1's published post (author_id to butler2)": {
    object: 'table posts', action: 'update',
    run: (c) => c.from('posts').update({ author_id: people.butler2 }, { count: 'exact' }).eq('id', posts.subsidy),
  },
  'rpc: feed_posts': {
    object: 'function feed_posts', action: 'call', rowLabel: (r) => label(r.id),
    run: (c) => c.rpc('feed_posts').select('id'),
  },
  "posts: delete butler1's draft": {
    object: 'table posts', action: 'delete',
    run: (c) => c.from('posts').delete({ count: 'exact' }).eq('id', posts.draft),
  },

  // post_bookmarks ------------------------------------------------------------------------------------
  'post_bookmarks: select': {
    object: 'table post_bookmarks', action: 'select', rowLabel: (r) => label(r.user_id),
    run: (c) => c.from('post_bookmarks').select('user_id, post_id'),
  },
  'post_bookmarks: insert a bookmark for oneself': {
    object: 'table post_bookmarks', action: 'insert',
    run: (c) => c.from('post_bookmarks').insert({ post_id: posts.story }, { count: 'exact' }),
  },
  'post_bookmarks: insert a bookmark for worker1 (user_id given)': {
    object: 'table post_bookmarks', action: 'insert',
    run: (c) => c.from('post_bookmarks').insert({ user_id: worker1, post_id: posts.story }, { count: 'exact' }),
  },
  "post_bookmarks: insert a bookmark of butler1's draft": {
    object: 'table post_bookmarks', action: 'insert',
    run: (c) => c.from('post_bookmarks').insert({ post_id: posts.draft }, { count: 'exact' }),
  },
  "post_bookmarks: insert a bookmark of butler2's scheduled post": {
    object: 'table post_bookmarks', action: 'insert',
    run: (c) => c.from('post_bookmarks').insert({ post_id: posts.scheduled }, { count: 'exact' }),
  },
  'post_bookmarks: insert a bookmark of a post that does not exist': {
    object: 'table post_bookmarks', action: 'insert',
    run: (c) => c.from('post_bookmarks').insert({ post_id: missingPost }, { count: 'exact' }),
  },
  "post_bookmarks: update worker1's bookmark": {
    object: 'table post_bookmarks', action: 'update',
    run: (c) => c.from('post_bookmarks').update({ post_id: posts.story }, { count: 'exact' }).eq('user_id', worker1),
  },
  "post_bookmarks: delete worker1's bookmark": {
    object: 'table post_bookmarks', action: 'delete',
    run: (c) => c.from('post_bookmarks').delete({ count: 'exact' }).eq('user_id', worker1),
  },

  // notifications and push_subscriptions: what 注销账号 erases, never deletable by others --------------
  "notifications: delete worker2's notifications": {
    object: 'table notifications', action: 'delete',
    run: (c) => c.from('notifications').delete({ count: 'exact' }).eq('recipient_id', worker2),
  },
  "push_subscriptions: delete worker1's subscriptions": {
    object: 'table push_subscriptions', action: 'delete',
    run: (c) => c.from('push_subscriptions').delete({ count: 'exact' }).eq('user_id', worker1),
  },

  // RPC and the private schema ------------------------------------------------------------------------
  'rpc: set_user_role(worker1 → admin)': {
    object: 'function set_user_role', action: 'call',
    run: (c) => c.rpc('set_user_role', { user_id: worker1, new_role: 'admin' }),
  },
  'rpc: set_user_role(butler1 → admin)': {
    object: 'function set_user_role', action: 'call',
    run: (c) => c.rpc('set_user_role', { user_id: butler1, new_role: 'admin' }),
  },
  "rpc: set_my_avatar(a file name in worker2's avatar folder)": {
    object: 'function set_my_avatar', action: 'call',
    run: (c) => c.rpc('set_my_avatar', { p_path: `${worker2}/matrix.png` }),
  },
  'rpc: record_subscriptions(account_change)': {
    object: 'function record_subscriptions', action: 'call',
    run: (c) => c.rpc('record_subscriptions', { templates: ['account_change'] }),
  },
  'rpc: record_subscriptions(an unknown template)': {
    object: 'function record_subscriptions', action: 'call',
    run: (c) => c.rpc('record_subscriptions', { templates: ['free_pushes'] }),
  },
  'rpc: complete_onboarding': {
    object: 'function complete_onboarding', action: 'call',
    run: (c) => c.rpc('complete_onboarding', { display_name: '测试', district: '四方区兴隆路街道' }),
  },
  'rpc: complete_onboarding with a role argument': {
    object: 'function complete_onboarding', action: 'call',
    run: (c) => untyped(c).rpc('complete_onboarding', { display_name: '测试', district: '四方区', role: 'admin' }),
  },
  'rpc: sign_in_wechat(demo:worker1)': {
    object: 'function sign_in_wechat', action: 'call',
    run: (c) => c.rpc('sign_in_wechat', { p_openid: 'demo:worker1', p_create: false }),
  },
  'rpc: finish_pushes([])': {
    object: 'function finish_pushes', action: 'call',
    run: (c) => c.rpc('finish_pushes', { outcomes: [] }),
  },
  'rpc: withdraw_privacy_consent': {
    object: 'function withdraw_privacy_consent', action: 'call',
    run: (c) => c.rpc('withdraw_privacy_consent'),
  },
  'rpc: withdraw_privacy_consent for worker2 (user_id given)': {
    object: 'function withdraw_privacy_consent', action: 'call',
    run: (c) => untyped(c).rpc('withdraw_privacy_consent', { user_id: worker2 }),
  },
  'rpc: delete_my_account': {
    object: 'function delete_my_account', action: 'call',
    run: (c) => c.rpc('delete_my_account'),
  },
  'rpc: delete_my_account for worker2 (user_id given)': {
    object: 'function delete_my_account', action: 'call',
    run: (c) => untyped(c).rpc('delete_my_account', { user_id: worker2 }),
  },
  'private: select wechat_identities': {
    object: 'table wechat_identities', action: 'select',
    run: (c) => untyped(c).from('wechat_identities').select('user_id, openid'),
  },
  "private: update worker1's openid in wechat_identities": {
    object: 'table wechat_identities', action: 'update',
    run: (c) => untyped(c).from('wechat_identities').update({ openid: 'attacker' }).eq('user_id', worker1),
  },
  'private: rpc set_user_role(p_user, p_role)': {
    object: 'function set_user_role', action: 'call',
    run: (c) => untyped(c).rpc('set_user_role', { p_user: worker1, p_role: 'admin' }),
  },
  'private: rpc delete_my_account via the private helper': {
    object: 'function delete_my_account', action: 'call',
    run: (c) => untyped(c).schema('private').rpc('delete_my_account'),
  },
  'private: select account_deletions': {
    object: 'table account_deletions', action: 'select',
    run: (c) => untyped(c).from('account_deletions').select('user_id'),
  },
  'private: rpc is_admin': {
    object: 'function is_admin', action: 'call',
    run: (c) => untyped(c).rpc('is_admin'),
  },
} satisfies Record<string, ActionProbe>

type ProbeName = keyof typeof probes

// ---------------------------------------------------------------------------------------------------
// the matrix
// ---------------------------------------------------------------------------------------------------

type Row = MatrixRow<ProbeName>

const UNKNOWN_TEMPLATE = err(400, '22023', '没有这种订阅消息，请更新小程序后再试')
const BADFK = err(409, '23503', /^update or delete on table "profiles" violates foreign key constraint/)

// prettier-ignore
const matrix: Row[] = [
  // probe                                                              anon          workerA (worker1)                      workerB (worker2)                      butlerX (butler1)                     butlerY (butler2)                     admin                      service
  ['profiles: select id, display_name',                                 sees(...authors), sees(...authors, 'worker1'),       sees(...authors, 'worker2'),           sees(...authors, 'worker2'),          sees(...authors, 'worker2'),          sees(...everyone),         sees(...everyone)],
  ['profiles: select id, display_name, avatar_path',                    sees(...authors), sees(...authors, 'worker1'),       sees(...authors, 'worker2'),           sees(...authors, 'worker2'),          sees(...authors, 'worker2'),          sees(...everyone),         sees(...everyone)],
  ['profiles: select every column',                                     DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      sees(...everyone)],
  ["profiles: select worker2's former_employer",                        DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      sees('worker2')],
  ['rpc: full_profiles',                                                DENY_ANON,    sees('worker1'),                       sees('worker2'),                       sees('butler1', 'worker2'),           sees('butler2', 'worker2'),           sees(...everyone),         DENY],
  ["rpc: full_profiles filtered to worker2 (a butler reading a worker's profile)", DENY_ANON, sees(),                        sees('worker2'),                       sees('worker2'),                      sees('worker2'),                      sees('worker2'),           DENY],
  ["rpc: full_profiles filtered to worker1 (in no group yet)",          DENY_ANON,    sees('worker1'),                       sees(),                                sees(),                               sees(),                               sees('worker1'),           DENY],
  ['profiles: insert a new profile',                                    DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['profiles: upsert worker1 as admin (insert … on conflict do update)', DENY_ANON,   DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['profiles: update worker1 display_name',                             DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['profiles: update worker1 role to admin',                            DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['profiles: update worker1 privacy_version',                          DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['profiles: update worker1 onboarded_at',                             DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['profiles: update worker1 id',                                       DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      BADFK],
  ['profiles: update worker1 avatar_path',                              DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['profiles: delete worker1',                                          DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],

  ['consents: select',                                                  DENY_ANON,    sees('worker1'),                       sees('worker2'),                       sees('butler1'),                      sees('butler2'),                      sees('admin'),             sees(...everyone)],
  ['consents: insert own consent (purpose, version)',                   DENY_ANON,    ONE,                                   ONE,                                   ONE,                                  ONE,                                  ONE,                       NOT_NULL('user_id', 'consents')],
  ['consents: insert a consent for worker1 (user_id given)',            DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['consents: insert a backdated consent (accepted_at given)',          DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      NOT_NULL('user_id', 'consents')],
  ['consents: insert a withdrawal directly (withdrawn given)',          DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      NOT_NULL('user_id', 'consents')],
  ['consents: update worker2 consent to withdrawn',                     DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      DENY],
  ['consents: update worker2 consent version',                          DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      DENY],
  ['consents: delete worker2 consents',                                 DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      DENY],

  ['role_changes: select',                                              DENY_ANON,    sees(),                                sees(),                                sees('butler1'),                      sees('butler2'),                      sees('butler1', 'butler2'), sees('butler1', 'butler2')],
  ['role_changes: insert an audit row (worker1 made admin)',            DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['role_changes: update butler1 audit row (new_role to admin)',        DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      DENY],
  ['role_changes: delete butler1 audit rows',                           DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      DENY],

  ['profile_contacts: select',                                          DENY_ANON,    sees('worker1'),                       sees('worker2'),                       sees('butler1', 'worker2'),           sees('worker2'),                      sees(),                    sees('butler1', 'worker1', 'worker2')],
  ['profile_contacts: insert a phone number for admin',                 DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['profile_contacts: update worker1 phone',                            DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ['profile_contacts: delete worker1 phone',                            DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],

  ['posts: select',                                                     sees(...published), sees(...published),              sees(...published, ...sifangXinglong, 'archivedXinglong'), sees(...allLive, 'archivedXinglong', 'draft'), sees(...allLive, 'archivedXinglong', 'scheduled', 'draftShuiqinggou'), sees(...allLive, 'archivedXinglong', 'draft', 'scheduled', 'draftShuiqinggou'), sees(...allLive, 'archivedXinglong', 'draft', 'scheduled', 'draftShuiqinggou')],
  ['posts: insert a draft as oneself (author_id by default)',           DENY_ANON,    RLS,                                   RLS,                                   ONE,                                  ONE,                                  ONE,                       NOT_NULL('author_id', 'posts')],
  ['posts: insert a draft as butler1 (author_id given)',                DENY_ANON,    RLS,                                   RLS,                                   ONE,                                  RLS,                                  RLS,                       ONE],
  ["posts: update butler1's published post (title)",                    DENY_ANON,    NONE,                                  NONE,                                  ONE,                                  NONE,                                 NONE,                      ONE],
  ["posts: update butler1's published post (author_id to butler2)",     DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      AUTHOR_FIXED],
  ['rpc: feed_posts',                                                   sees(...published), sees(...published),              sees(...published, ...sifangXinglong), sees(...allLive),                    sees(...allLive),                     sees(...allLive),          sees(...allLive)],
  ["posts: delete butler1's draft",                                     DENY_ANON,    NONE,                                  NONE,                                  ONE,                                  NONE,                                 NONE,                      ONE],

  ['post_bookmarks: select',                                            DENY_ANON,    sees('worker1'),                       sees('worker2'),                       sees('butler1'),                      sees(),                               sees(),                    sees('butler1', 'worker1', 'worker2')],
  ['post_bookmarks: insert a bookmark for oneself',                     DENY_ANON,    ONE,                                   ONE,                                   ONE,                                  ONE,                                  ONE,                       NOT_NULL('user_id', 'post_bookmarks')],
  ['post_bookmarks: insert a bookmark for worker1 (user_id given)',     DENY_ANON,    ONE,                                   RLS,                                   RLS,                                  RLS,                                  RLS,                       ONE],
  ["post_bookmarks: insert a bookmark of butler1's draft",              DENY_ANON,    RLS,                                   RLS,                                   ONE,                                  RLS,                                  ONE,                       NOT_NULL('user_id', 'post_bookmarks')],
  ["post_bookmarks: insert a bookmark of butler2's scheduled post",     DENY_ANON,    RLS,                                   RLS,                                   RLS,                                  ONE,                                  ONE,                       NOT_NULL('user_id', 'post_bookmarks')],
  ['post_bookmarks: insert a bookmark of a post that does not exist',   DENY_ANON,    RLS,                                   RLS,                                   RLS,                                  RLS,                                  RLS,                       NOT_NULL('user_id', 'post_bookmarks')],
  ["post_bookmarks: update worker1's bookmark",                         DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ["post_bookmarks: delete worker1's bookmark",                         DENY_ANON,    ONE,                                   NONE,                                  NONE,                                 NONE,                                 NONE,                      ONE],

  ["notifications: delete worker2's notifications",                     DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],
  ["push_subscriptions: delete worker1's subscriptions",                DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      ONE],

  ['rpc: set_user_role(worker1 → admin)',                               DENY_ANON,    ADMINS_ONLY,                           ADMINS_ONLY,                           ADMINS_ONLY,                          ADMINS_ONLY,                          OK,                        DENY],
  ['rpc: set_user_role(butler1 → admin)',                               DENY_ANON,    ADMINS_ONLY,                           ADMINS_ONLY,                           ADMINS_ONLY,                          ADMINS_ONLY,                          OK,                        DENY],
  ["rpc: set_my_avatar(a file name in worker2's avatar folder)",        DENY_ANON,    NOT_MY_AVATAR,                         err(500, 'P0002', '头像文件不存在，请重新上传'), NOT_MY_AVATAR,                NOT_MY_AVATAR,                        NOT_MY_AVATAR,             DENY],
  ['rpc: record_subscriptions(account_change)',                          DENY_ANON,    OK,                                    OK,                                    OK,                                   OK,                                   OK,                        DENY],
  ['rpc: record_subscriptions(an unknown template)',                     DENY_ANON,    UNKNOWN_TEMPLATE,                      UNKNOWN_TEMPLATE,                      UNKNOWN_TEMPLATE,                     UNKNOWN_TEMPLATE,                     UNKNOWN_TEMPLATE,          DENY],
  ['rpc: complete_onboarding',                                          DENY_ANON,    err(400, 'P0001', '请先阅读并同意隐私保护指引'), OK,                           OK,                                   OK,                                   OK,                        DENY],
  ['rpc: complete_onboarding with a role argument',                     NO_FUNCTION('complete_onboarding'), NO_FUNCTION('complete_onboarding'), NO_FUNCTION('complete_onboarding'), NO_FUNCTION('complete_onboarding'), NO_FUNCTION('complete_onboarding'), NO_FUNCTION('complete_onboarding'), NO_FUNCTION('complete_onboarding')],
  ['rpc: sign_in_wechat(demo:worker1)',                                 DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      OK],
  ['rpc: finish_pushes([])',                                            DENY_ANON,    DENY,                                  DENY,                                  DENY,                                 DENY,                                 DENY,                      OK],
  ['rpc: withdraw_privacy_consent',                                    DENY_ANON,    OK,                                    OK,                                    OK,                                   OK,                                   OK,                        DENY],
  ['rpc: withdraw_privacy_consent for worker2 (user_id given)',         NO_FUNCTION('withdraw_privacy_consent'), NO_FUNCTION('withdraw_privacy_consent'), NO_FUNCTION('withdraw_privacy_consent'), NO_FUNCTION('withdraw_privacy_consent'), NO_FUNCTION('withdraw_privacy_consent'), NO_FUNCTION('withdraw_privacy_consent'), NO_FUNCTION('withdraw_privacy_consent')],
  ['rpc: delete_my_account',                                            DENY_ANON,    OK,                                    OK,                                    ONLY_WORKERS,                         ONLY_WORKERS,                         LAST_ADMIN,                DENY],
  ['rpc: delete_my_account for worker2 (user_id given)',                NO_FUNCTION('delete_my_account'), NO_FUNCTION('delete_my_account'), NO_FUNCTION('delete_my_account'), NO_FUNCTION('delete_my_account'), NO_FUNCTION('delete_my_account'), NO_FUNCTION('delete_my_account'), NO_FUNCTION('delete_my_account')],
  ['private: select wechat_identities',                                 NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities')],
  ["private: update worker1's openid in wechat_identities",             NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities'), NO_TABLE('wechat_identities')],
  ['private: rpc set_user_role(p_user, p_role)',                        NO_FUNCTION('set_user_role'), NO_FUNCTION('set_user_role'), NO_FUNCTION('set_user_role'), NO_FUNCTION('set_user_role'), NO_FUNCTION('set_user_role'), NO_FUNCTION('set_user_role'), NO_FUNCTION('set_user_role')],
  ['private: rpc delete_my_account via the private helper',            PRIVATE_SCHEMA, PRIVATE_SCHEMA,                      PRIVATE_SCHEMA,                        PRIVATE_SCHEMA,                       PRIVATE_SCHEMA,                       PRIVATE_SCHEMA,            PRIVATE_SCHEMA],
  ['private: select account_deletions',                                 NO_TABLE('account_deletions'), NO_TABLE('account_deletions'), NO_TABLE('account_deletions'), NO_TABLE('account_deletions'), NO_TABLE('account_deletions'), NO_TABLE('account_deletions'), NO_TABLE('account_deletions')],
  ['private: rpc is_admin',                                             NO_FUNCTION('is_admin'), NO_FUNCTION('is_admin'),    NO_FUNCTION('is_admin'),               NO_FUNCTION('is_admin'),              NO_FUNCTION('is_admin'),              NO_FUNCTION('is_admin'),   NO_FUNCTION('is_admin')],
]

// ---------------------------------------------------------------------------------------------------
// running it
// ---------------------------------------------------------------------------------------------------

let be: TestBackend
let p: Personas
let data: DataSnapshot

beforeAll(async () => {
  be = await startTestBackend()
  await be.db.exec(FIXTURES)
  data = await snapshotData(be)
  p = await personas(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

describe('access matrix', () => {
  it('covers select, insert, update and delete of every identity and feed table', () => {
    const covered = new Set(matrix.map(([name]) => `${probes[name].object} ${probes[name].action}`))
    for (const table of ['profiles', 'consents', 'role_changes', 'profile_contacts', 'posts', 'post_bookmarks']) {
      for (const action of ['select', 'insert', 'update', 'delete']) expect(covered).toContain(`table ${table} ${action}`)
    }
    expect(new Set(matrix.map(([name]) => name)).size).toBe(Object.keys(probes).length)
  })

  describeMatrix(probes, matrix, () => ({ p, data }))
})

// ---------------------------------------------------------------------------------------------------
// role grants: the only way a role changes
// ---------------------------------------------------------------------------------------------------

describe('role grants through set_user_role', () => {
  const draft = { kind: 'notice' as const, title: '新管家的第一条通知' }

  it('worker2 cannot write a post before an admin makes them a butler, and can (with a fresh token) after', async () => {
    const before = await p.workerB.from('posts').insert(draft)
    expect({ status: before.status, code: before.error?.code, message: before.error?.message }).toEqual({
      status: 403, code: '42501', message: 'new row violates row-level security policy for table "posts"',
    })

    const grant = await p.admin.rpc('set_user_role', { user_id: p.ids.workerB, new_role: 'butler' })
    expect(grant.error).toBeNull()
    expect(grant.data).toMatchObject({ id: p.ids.workerB, role: 'butler' })

    const workerB = await p.fresh('workerB')
    const after = await workerB.from('posts').insert(draft).select('title, author_id, status').single()
    expect(after.error).toBeNull()
    expect(after.status).toBe(201)
    expect(after.data).toEqual({ title: draft.title, author_id: p.ids.workerB, status: 'draft' })
  })

  it('a grant writes one audit row with the old role, the new role and the admin who changed it', async () => {
    const grant = await p.admin.rpc('set_user_role', { user_id: p.ids.workerB, new_role: 'butler' })
    expect(grant.error).toBeNull()

    const audit = await p.admin.from('role_changes').select('user_id, old_role, new_role, changed_by, changed_at').eq('user_id', p.ids.workerB)
    expect(audit.error).toBeNull()
    expect(audit.data).toEqual([
      { user_id: p.ids.workerB, old_role: 'worker', new_role: 'butler', changed_by: p.ids.admin, changed_at: expect.any(String) },
    ])
    // The person whose role changed can read it too.
    const own = await (await p.fresh('workerB')).from('role_changes').select('old_role, new_role')
    expect(own.data).toEqual([{ old_role: 'worker', new_role: 'butler' }])
  })

  it('setting the role a person already has writes no audit row', async () => {
    const same = await p.admin.rpc('set_user_role', { user_id: p.ids.butlerX, new_role: 'butler' })
    expect(same.error).toBeNull()
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('the last admin cannot be demoted, and nothing is written', async () => {
    const res = await p.admin.rpc('set_user_role', { user_id: p.ids.admin, new_role: 'worker' })
    expect({ status: res.status, code: res.error?.code, message: res.error?.message }).toEqual({
      status: 400, code: 'P0001', message: '至少需要保留一名管理员',
    })
    expect(await data.fingerprint()).toBe(data.baseline)
    const me = await p.admin.rpc('full_profiles').select('role').eq('id', p.ids.admin).single()
    expect(me.data).toEqual({ role: 'admin' })
  })

  it('an admin can step down once another admin exists', async () => {
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.butlerX, new_role: 'admin' })).error).toBeNull()
    const res = await p.admin.rpc('set_user_role', { user_id: p.ids.admin, new_role: 'worker' })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ id: p.ids.admin, role: 'worker' })
    const audit = await p.butlerX.from('role_changes').select('user_id, old_role, new_role, changed_by').order('id')
    expect(audit.data!.slice(-2)).toEqual([
      { user_id: p.ids.butlerX, old_role: 'butler', new_role: 'admin', changed_by: p.ids.admin },
      { user_id: p.ids.admin, old_role: 'admin', new_role: 'worker', changed_by: p.ids.admin },
    ])
  })

  it('a worker who tries to make themselves admin stays a worker and leaves no audit row', async () => {
    const res = await p.workerA.rpc('set_user_role', { user_id: p.ids.workerA, new_role: 'admin' })
    expect({ status: res.status, code: res.error?.code, message: res.error?.message }).toEqual({
      status: 403, code: '42501', message: '只有管理员可以设置角色',
    })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('a token that claims a role does not give it: roles come from the database', async () => {
    const forged = await be.signToken({ sub: p.ids.workerA, app_role: 'admin', user_role: 'admin' })
    const res = await clientFor(be, forged).rpc('set_user_role', { user_id: p.ids.workerA, new_role: 'admin' })
    expect({ status: res.status, code: res.error?.code }).toEqual({ status: 403, code: '42501' })
    expect(await data.fingerprint()).toBe(data.baseline)
  })
})

// ---------------------------------------------------------------------------------------------------
// personal data: names for others, the full profile for oneself and admins
// ---------------------------------------------------------------------------------------------------

const refusal = (res: Result) => ({ status: res.status, code: res.error?.code ?? null, message: res.error?.message ?? null })

describe('personal data stays private', () => {
  it("a worker cannot read the profile of a former butler who posted, only her name", async () => {
    // worker2 is made a butler, publishes a post, and is made a worker again; her post stays published.
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.workerB, new_role: 'butler' })).error).toBeNull()
    const posted = await (await p.fresh('workerB')).from('posts').insert({ kind: 'notice', title: '陈秀英的通知', status: 'published', published_at: new Date(Date.now() - 60_000).toISOString() })
    expect(posted.error).toBeNull()
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.workerB, new_role: 'worker' })).error).toBeNull()

    const full = await p.workerA.from('profiles').select('*').eq('id', p.ids.workerB)
    expect(refusal(full)).toEqual({ status: 403, code: '42501', message: 'permission denied for table profiles' })
    const plans = await p.workerA.from('profiles').select('former_employer, displaced_on, startup_intention').eq('id', p.ids.workerB)
    expect(refusal(plans)).toEqual({ status: 403, code: '42501', message: 'permission denied for table profiles' })
    const name = await p.workerA.from('profiles').select('id, display_name').eq('id', p.ids.workerB)
    expect(name.data).toEqual([{ id: p.ids.workerB, display_name: '陈秀英' }])
    const viaRpc = await p.workerA.rpc('full_profiles').select('id, former_employer').eq('id', p.ids.workerB)
    expect(viaRpc.error).toBeNull()
    expect(viaRpc.data).toEqual([])
  })

  it("a butler cannot read the profile of a worker in none of their groups, not even the name", async () => {
    const full = await p.butlerX.rpc('full_profiles').select('id').eq('id', p.ids.workerA)
    expect(full.data).toEqual([])
    const name = await p.butlerX.from('profiles').select('id, display_name').eq('id', p.ids.workerA)
    expect(name.data).toEqual([])
  })

  it("a butler reads the whole profile of a member of their group, and loses it when the member leaves", async () => {
    const before = await p.butlerX.rpc('full_profiles').select('former_employer').eq('id', p.ids.workerB).single()
    expect(before.data).toEqual({ former_employer: '青岛碱业' })
    expect((await p.workerB.rpc('leave_group', { group_id: '20000000-0000-4000-8000-000000000001' })).error).toBeNull()
    const after = await p.butlerX.rpc('full_profiles').select('id').eq('id', p.ids.workerB)
    expect(after.data).toEqual([])
  })

  it('a butler made a worker again no longer reads the profiles of the members of their groups', async () => {
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.butlerX, new_role: 'worker' })).error).toBeNull()
    const res = await p.butlerX.rpc('full_profiles').select('id').eq('id', p.ids.workerB)
    expect(res.data).toEqual([])
  })

  it("an admin reads a worker's whole profile", async () => {
    const res = await p.admin.rpc('full_profiles').select('former_employer, displaced_on, startup_intention').eq('id', p.ids.workerB).single()
    expect(res.data).toEqual({ former_employer: '青岛碱业', displaced_on: '2025-06-30', startup_intention: '想开一家社区家政服务社' })
  })

  it('onboarding answers with the whole saved profile, read through full_profiles', async () => {
    const res = await p.workerB.rpc('complete_onboarding', { display_name: '陈秀英', district: '四方区兴隆路街道', former_employer: '青岛钢铁' })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ id: p.ids.workerB, district: '四方区兴隆路街道', former_employer: '青岛钢铁', onboarded_at: expect.any(String) })
  })
})

// ---------------------------------------------------------------------------------------------------
// bookmarks: only posts the person can see, and hidden looks like missing
// ---------------------------------------------------------------------------------------------------

describe('bookmarks', () => {
  it("bookmarking another butler's draft and a post that does not exist answer exactly alike", async () => {
    const hidden = await p.butlerY.from('post_bookmarks').insert({ post_id: posts.draft })
    const unknown = await p.butlerY.from('post_bookmarks').insert({ post_id: missingPost })
    const rls = { status: 403, code: '42501', message: 'new row violates row-level security policy for table "post_bookmarks"' }
    expect(refusal(hidden)).toEqual(rls)
    expect(refusal(unknown)).toEqual(rls)
    expect({ ...hidden.error, hint: null }).toEqual({ ...unknown.error, hint: null })
    expect(await data.fingerprint()).toBe(data.baseline)
  })
})

// ---------------------------------------------------------------------------------------------------
// subscription messages: known templates, once per call, capped
// ---------------------------------------------------------------------------------------------------

describe('record_subscriptions', () => {
  const quota = async (user: string) =>
    (await be.db.query(`select template, remaining from public.push_subscriptions where user_id = $1 order by template`, [user])).rows

  it('one call naming a template five times adds one send', async () => {
    const before = Number((await quota(p.ids.workerA)).find((r) => r.template === 'account_change')?.remaining ?? 0)
    const res = await p.workerA.rpc('record_subscriptions', { templates: Array(5).fill('account_change') })
    expect(res.error).toBeNull()
    expect(await quota(p.ids.workerA)).toEqual([{ template: 'account_change', remaining: before + 1 }])
  })

  it('each call adds one send, up to the cap of 10', async () => {
    for (let i = 0; i < 12; i++) expect((await p.workerA.rpc('record_subscriptions', { templates: ['account_change'] })).error).toBeNull()
    expect(await quota(p.ids.workerA)).toEqual([{ template: 'account_change', remaining: 10 }])
  })

  it('a template that does not exist is refused in Chinese and records nothing, not even the known one beside it', async () => {
    const res = await p.workerA.rpc('record_subscriptions', { templates: ['account_change', 'free_pushes'] })
    expect(refusal(res)).toEqual({ status: 400, code: '22023', message: '没有这种订阅消息，请更新小程序后再试' })
    expect(res.error!.details).toBe('unknown template: free_pushes')
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('an empty list and more than five names are refused in Chinese', async () => {
    expect(refusal(await p.workerA.rpc('record_subscriptions', { templates: [] }))).toEqual({ status: 400, code: '22023', message: '请至少选择一种订阅消息' })
    expect(refusal(await p.workerA.rpc('record_subscriptions', { templates: Array(6).fill('account_change') }))).toEqual({
      status: 400, code: '22023', message: '一次最多记录5个订阅消息模板',
    })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('every template the local dispatcher can send can be subscribed to, and no other', async () => {
    const keys = (await be.db.query(`select key from private.push_templates order by key`)).rows.map((r) => r.key)
    expect(keys).toEqual(Object.keys(LOCAL_WECHAT_TEMPLATES).sort())
  })
})

// ---------------------------------------------------------------------------------------------------
// role changes by any path: always audited, never the last admin
// ---------------------------------------------------------------------------------------------------

describe('role changes by any path', () => {
  const audit = async (user: string) =>
    (await be.db.query(`select old_role, new_role, changed_by, changed_by_role from public.role_changes where user_id = $1 order by id`, [user])).rows
  const admins = async () => (await be.db.query(`select count(*)::int as n from public.profiles where role = 'admin'`)).rows[0].n

  it('a role changed by the service role directly writes an audit row with no person and the service role', async () => {
    const res = await p.service.from('profiles').update({ role: 'butler' }).eq('id', p.ids.workerB)
    expect(res.error).toBeNull()
    expect(await audit(p.ids.workerB)).toEqual([{ old_role: 'worker', new_role: 'butler', changed_by: null, changed_by_role: 'service_role' }])
  })

  it('a role changed through set_user_role writes exactly one audit row naming the admin', async () => {
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.workerB, new_role: 'butler' })).error).toBeNull()
    expect(await audit(p.ids.workerB)).toEqual([{ old_role: 'worker', new_role: 'butler', changed_by: p.ids.admin, changed_by_role: 'authenticated' }])
  })

  it('the service role cannot demote or delete the last admin either', async () => {
    const demote = await p.service.from('profiles').update({ role: 'worker' }).eq('id', p.ids.admin)
    expect(refusal(demote)).toEqual({ status: 400, code: 'P0001', message: '至少需要保留一名管理员' })
    const remove = await p.service.from('profiles').delete().eq('id', p.ids.admin)
    expect(refusal(remove)).toEqual({ status: 400, code: 'P0001', message: '至少需要保留一名管理员' })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('two admins demoting each other at the same moment leave one admin', async () => {
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.butlerX, new_role: 'admin' })).error).toBeNull()
    const results = await Promise.all([
      p.admin.rpc('set_user_role', { user_id: p.ids.butlerX, new_role: 'worker' }),
      p.butlerX.rpc('set_user_role', { user_id: p.ids.admin, new_role: 'worker' }),
    ])
    // Whichever runs second is refused: as no longer an admin if the first committed before it began,
    // as the last admin's demotion if both began together.
    const outcomes = results.map((r) => (r.error ? `${r.error.code} ${r.error.message}` : 'ok'))
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1)
    expect(['42501 只有管理员可以设置角色', 'P0001 至少需要保留一名管理员']).toContain(outcomes.find((o) => o !== 'ok'))
    expect(await admins()).toBe(1)
  })

  /**
   * Two transactions on two connections, interleaved by hand: the first runs `first` and holds its
   * transaction open; `second` starts and must wait on the role-change lock; then the first commits.
   * Resolves with what the second met ('ok' or 'CODE message').
   */
  async function interleave(first: { claims: object; sql: string; params: unknown[] }, second: { claims: object; sql: string; params: unknown[] }) {
    const as = (claims: object) => `select set_config('role', '${'role' in claims ? String(claims.role) : 'authenticated'}', true), set_config('request.jwt.claims', '${JSON.stringify(claims)}', true)`
    let commitFirst!: () => void
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve))
    let firstDone!: () => void
    const firstRan = new Promise<void>((resolve) => (firstDone = resolve))
    const firstTx = be.db.transaction(async (tx) => {
      await tx.query(as(first.claims))
      await tx.query(first.sql, first.params)
      firstDone()
      await firstMayCommit
    })
    try {
      await Promise.race([firstRan, firstTx])
      const secondOutcome = be.db
        .transaction(async (tx) => {
          await tx.query(as(second.claims))
          await tx.query(second.sql, second.params)
        })
        .then(() => 'ok', (e: { code?: string; message: string }) => `${e.code} ${e.message}`)
      let waiting = 0
      for (let i = 0; i < 100 && waiting === 0; i++) {
        waiting = (await be.db.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`)).rows[0].n as number
        if (waiting === 0) await new Promise((r) => setTimeout(r, 50))
      }
      expect(waiting, 'the second change waits on the role-change lock').toBe(1)
      commitFirst()
      await firstTx
      return await secondOutcome
    } finally {
      commitFirst()
      await firstTx.catch(() => undefined)
    }
  }

  // These need two connections: PostgreSQL only (PGlite has one; there the test above runs the calls in turn).
  const twoConnections = Boolean(process.env.DATABASE_URL) && !process.env.SUPABASE_URL

  it.runIf(twoConnections)('through set_user_role, a demotion waits for a concurrent one and then finds its caller no longer an admin', async () => {
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.butlerX, new_role: 'admin' })).error).toBeNull()
    const outcome = await interleave(
      { claims: { sub: p.ids.admin, role: 'authenticated' }, sql: `select public.set_user_role($1, 'worker')`, params: [p.ids.butlerX] },
      { claims: { sub: p.ids.butlerX, role: 'authenticated' }, sql: `select public.set_user_role($1, 'worker')`, params: [p.ids.admin] },
    )
    expect(outcome).toBe('42501 只有管理员可以设置角色')
    expect(await admins()).toBe(1)
  })

  it.runIf(twoConnections)('by the service role, removing an admin waits for a concurrent removal and then keeps the last admin', async () => {
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.butlerX, new_role: 'admin' })).error).toBeNull()
    const outcome = await interleave(
      { claims: { role: 'service_role' }, sql: `update public.profiles set role = 'worker' where id = $1`, params: [p.ids.butlerX] },
      { claims: { role: 'service_role' }, sql: `update public.profiles set role = 'worker' where id = $1`, params: [p.ids.admin] },
    )
    expect(outcome).toBe('P0001 至少需要保留一名管理员')
    expect(await admins()).toBe(1)
  })
})
