/**
 * The runner the access-matrix tests share (tests/db/access-matrix.test.ts, groups-access, questions-access,
 * posts-access): a matrix is a list of rows, one probe (a single request) and one expected cell per persona.
 *
 * How to read a cell:
 *   sees(a, b)  select succeeds and shows exactly these rows (by the labels of the file's label function)
 *   ONE         the write succeeds and changes one row
 *   NONE        "allowed but 0 rows affected": the grant lets the statement run, RLS hides every row it
 *               targets, and PostgREST answers success (204) with a count of 0. Not an error.
 *   OK          the call succeeds
 *   DENY_ANON   401 42501 permission denied for <object>: no grant to anon
 *   DENY        403 42501 permission denied for <object>: no grant (table, column or function)
 *   RLS         403 42501 new row violates row-level security policy: granted, but a policy refuses it
 *   err(…)      that exact status, SQLSTATE and message
 *
 * Every cell that is refused, read-only or changes nothing also checks that no row anywhere changed.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { describe, expect, it } from 'vitest'
import type { Client } from './clients'
import type { DataSnapshot } from './db-state'
import { personaNames, type PersonaName, type Personas } from './personas'

// ---------------------------------------------------------------------------------------------------
// expectations
// ---------------------------------------------------------------------------------------------------

export type Expectation =
  | { kind: 'rows'; rows: string[] }
  | { kind: 'affected'; n: number }
  | { kind: 'ok' }
  | { kind: 'noGrant'; status: 401 | 403 }
  | { kind: 'rls' }
  | { kind: 'error'; status: number; code: string; message: string | RegExp }

export const sees = (...rows: string[]): Expectation => ({ kind: 'rows', rows })
export const ONE: Expectation = { kind: 'affected', n: 1 }
export const NONE: Expectation = { kind: 'affected', n: 0 }
export const OK: Expectation = { kind: 'ok' }
export const DENY_ANON: Expectation = { kind: 'noGrant', status: 401 }
export const DENY: Expectation = { kind: 'noGrant', status: 403 }
export const RLS: Expectation = { kind: 'rls' }
export const err = (status: number, code: string, message: string | RegExp): Expectation => ({ kind: 'error', status, code, message })
export const NOT_NULL = (column: string, table: string) =>
  err(400, '23502', `null value in column "${column}" of relation "${table}" violates not-null constraint`)
/** A table that is not in the API at all (the `private` schema). */
export const NO_TABLE = (name: string) => err(404, 'PGRST205', `Could not find the table 'public.${name}' in the schema cache`)
/** A function that is not in the API, or not with these arguments. */
export const NO_FUNCTION = (name: string) => err(404, 'PGRST202', new RegExp(`^Could not find the function public\\.${name}[ (]`))
/** A request that names the `private` schema. */
export const PRIVATE_SCHEMA = err(406, 'PGRST106', 'Invalid schema: private')

// ---------------------------------------------------------------------------------------------------
// probes: one request each, the same for every persona
// ---------------------------------------------------------------------------------------------------

export interface Result {
  data: unknown
  error: { code?: string; message: string } | null
  status: number
  count?: number | null
}

export type ProbeAction = 'select' | 'insert' | 'update' | 'delete' | 'call'

export interface Probe {
  /** What PostgreSQL names in "permission denied for …" and RLS errors. */
  object: string
  /**
   * What the request does. ONE / NONE cells need it (an insert answers 201, the rest 204); a matrix
   * without such cells (groups-access) may leave it out.
   */
  action?: ProbeAction
  run(c: Client): PromiseLike<Result>
  /** For selects: the label of a returned row. */
  rowLabel?: (row: Record<string, unknown>) => string
  /** Status of a write that succeeds, when not 201 (insert) or 204: an upsert that only updates answers 200. */
  successStatus?: number
}

/** A probe that says what it does, for matrices that check their coverage by action. */
export type ActionProbe = Probe & { action: ProbeAction }

/** For requests the generated types rightly refuse (objects outside the API, forged arguments). */
export const untyped = (c: Client) => c as unknown as SupabaseClient

/** Row labels: each id of the given records reads as its key (later records win on a shared id). */
export function labeller(...named: Record<string, string>[]): (id: unknown) => string {
  const labels = new Map<string, string>(named.flatMap((record) => Object.entries(record).map(([k, v]) => [v, k] as [string, string])))
  return (id: unknown) => labels.get(String(id)) ?? String(id)
}

// ---------------------------------------------------------------------------------------------------
// cells
// ---------------------------------------------------------------------------------------------------

/** One probe and what each persona, in personaNames order, meets. */
export type MatrixRow<Name extends string = string> = [
  Name, anon: Expectation, workerA: Expectation, workerB: Expectation, butlerX: Expectation, butlerY: Expectation, admin: Expectation, service: Expectation,
]

export interface CellOptions {
  /**
   * Statuses an OK cell may answer. By default 200 or 204 (function calls); groups-access also has OK
   * cells that are direct table inserts by the service role, which answer 201.
   */
  okStatuses?: readonly number[]
}

const DEFAULT_OK_STATUSES = [200, 204] as const

export function describeCell(e: Expectation): string {
  switch (e.kind) {
    case 'rows': return `sees ${e.rows.length ? e.rows.join(', ') : 'nothing'}`
    case 'affected': return e.n === 0 ? 'is allowed but affects 0 rows' : `changes ${e.n} row`
    case 'ok': return 'succeeds'
    case 'noGrant': return `is refused (${e.status} 42501, no privilege)`
    case 'rls': return 'is refused by a policy (403 42501)'
    case 'error': return `fails with ${e.status} ${e.code}`
  }
}

export async function expectCell(probe: Probe, e: Expectation, res: Result, options: CellOptions = {}) {
  const got = { status: res.status, code: res.error?.code ?? null, message: res.error?.message ?? null }
  switch (e.kind) {
    case 'rows': {
      expect(got).toEqual({ status: 200, code: null, message: null })
      const rows = (res.data as Record<string, unknown>[]).map(probe.rowLabel!)
      expect([...new Set(rows)].sort()).toEqual([...e.rows].sort())
      return
    }
    case 'affected': {
      if (probe.successStatus === undefined && probe.action === undefined) {
        throw new Error(`a ONE / NONE cell of ${probe.object} needs the probe's action (or successStatus)`)
      }
      expect(got).toEqual({ status: probe.successStatus ?? (probe.action === 'insert' ? 201 : 204), code: null, message: null })
      expect(res.count).toBe(e.n)
      return
    }
    case 'ok':
      expect(got).toMatchObject({ code: null, message: null })
      expect(options.okStatuses ?? DEFAULT_OK_STATUSES).toContain(res.status)
      return
    case 'noGrant':
      expect(got).toEqual({ status: e.status, code: '42501', message: `permission denied for ${probe.object}` })
      return
    case 'rls':
      expect(got).toEqual({ status: 403, code: '42501', message: `new row violates row-level security policy for table "${probe.object.replace(/^table /, '')}"` })
      return
    case 'error':
      expect(got).toEqual({ status: e.status, code: e.code, message: typeof e.message === 'string' ? e.message : expect.stringMatching(e.message) })
      return
  }
}

/** Whether a cell may change data: only a success that writes (OK, or ONE and other counts above 0). */
const mayChangeData = (e: Expectation) => e.kind === 'ok' || (e.kind === 'affected' && e.n !== 0)

/**
 * Registers one describe block per row and one test per persona, in the describe block it is called in.
 * `state` is read when a test runs (the backend starts in the file's beforeAll): the signed-in personas
 * and the data snapshot every refused, read-only or unchanged cell is checked against.
 */
export function describeMatrix<P extends Record<string, Probe>>(
  probes: P,
  matrix: readonly MatrixRow<Extract<keyof P, string>>[],
  state: () => { p: Personas; data: DataSnapshot },
  options: CellOptions = {},
): void {
  for (const [name, ...cells] of matrix) {
    describe(name, () => {
      personaNames.forEach((persona: PersonaName, i) => {
        const e = cells[i]
        it(`${persona} ${describeCell(e)}`, async () => {
          const { p, data } = state()
          const probe: Probe = probes[name]
          const res = await probe.run(p[persona])
          await expectCell(probe, e, res, options)
          // Refused, read-only or filtered out: not one row anywhere may have changed.
          if (!mayChangeData(e)) expect(await data.fingerprint()).toBe(data.baseline)
        })
      })
    })
  }
}
