/**
 * Saving, comparing and restoring the data of a test backend, so a test file can run many requests that
 * change rows (an access matrix) and still start every test from the same state.
 *
 *   const state = await snapshotData(be)   // after the file's fixtures
 *   await state.restore()                  // after a test that changed something
 *   expect(await state.fingerprint()).toBe(state.baseline)   // nothing changed
 *
 * Later issues add their tables to DATA_TABLES.
 */
import type { TestBackend } from './backend'

/** Every table that holds data a request can change (schema-qualified), parents before children. */
export const DATA_TABLES = [
  'public.profiles',
  'private.wechat_identities',
  'public.posts',
  'private.post_authors',
  'public.post_bookmarks',
  'public.consents',
  'public.role_changes',
  'public.profile_contacts',
  'public.notifications',
  'public.push_subscriptions',
  'private.account_deletions',
  'public.groups',
  'public.group_members',
  'public.group_join_requests',
  'public.group_messages',
  'private.group_message_counters',
  'private.group_message_checks',
  'private.group_message_verdicts',
  'private.withdrawn_message_payloads',
  'private.group_removals',
  'public.post_revisions',
  'public.tag_follows',
  'private.post_announcements',
  'private.post_reads',
  'public.project_leads',
  'public.holidays',
  'public.group_duty_shifts',
  'public.group_questions',
  'public.group_question_replies',
  'private.group_question_checks',
  'public.group_question_events',
  'public.group_faqs',
  'public.canned_replies',
  'public.subsidy_programmes',
  'public.application_batches',
  'public.applications',
  'public.application_materials',
  'public.application_events',
  'public.application_reveals',
  'public.batch_exports',
  'public.batch_objections',
  'public.incubation_visits',
  'public.visit_applications',
] as const

const SNAPSHOT_SCHEMA = 'test_snapshot'
const snapshotName = (t: string) => `${SNAPSHOT_SCHEMA}.${t.replace('.', '__')}`

export interface DataSnapshot {
  /** The fingerprint when the snapshot was taken. */
  baseline: string
  /** A digest of every row of every data table: equal digests, equal data. */
  fingerprint(): Promise<string>
  /** Puts every data table back as it was when the snapshot was taken. */
  restore(): Promise<void>
}

export async function snapshotData(be: TestBackend, tables: readonly string[] = DATA_TABLES): Promise<DataSnapshot> {
  await be.db.exec(
    `drop schema if exists ${SNAPSHOT_SCHEMA} cascade;
     create schema ${SNAPSHOT_SCHEMA};
     revoke all on schema ${SNAPSHOT_SCHEMA} from public;
     ${tables.map((t) => `create table ${snapshotName(t)} as table ${t};`).join('\n')}`,
  )
  const fingerprint = async () => {
    const parts = tables.map(
      (t) => `select '${t}' as t, md5(coalesce(string_agg(r::text, E'\\n' order by r::text), '')) as h from ${t} r`,
    )
    const r = await be.db.query(`select string_agg(t || ':' || h, ' ' order by t) as fp from (${parts.join(' union all ')}) x`)
    return String(r.rows[0].fp)
  }
  const baseline = await fingerprint()
  // Triggers and foreign keys are off while restoring (session_replication_role = replica), so the
  // order of the tables does not matter and no trigger rewrites the saved rows.
  const restoreSql = [
    'set local session_replication_role = replica',
    ...[...tables].reverse().map((t) => `delete from ${t}`),
    ...tables.map((t) => `insert into ${t} overriding system value select * from ${snapshotName(t)}`),
  ]
  return {
    baseline,
    fingerprint,
    async restore() {
      await be.db.transaction(async (tx) => {
        for (const sql of restoreSql) await tx.query(sql)
      })
    },
  }
}
