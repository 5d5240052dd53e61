/**
 * The database behind the local backend: PGlite (embedded, persisted in a folder) by default, or a real
 * PostgreSQL server when a connection string is given. Both are used through one small interface.
 */
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

export interface QueryResult {
  rows: Record<string, unknown>[]
  rowCount: number
}

export interface Tx {
  query(sql: string, params?: unknown[]): Promise<QueryResult>
  /** Run several statements separated by semicolons, without parameters (migrations, seed). */
  exec(sql: string): Promise<void>
}

export interface Db extends Tx {
  readonly kind: 'pglite' | 'postgres'
  /** Run fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  /** Calls fn for every NOTIFY on channel. */
  listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
  /** PGlite only: a copy of the whole data folder, for `loadDataDir` (see PgliteOptions). */
  dumpDataDir?(): Promise<Blob>
}

/** Error raised by PostgreSQL, with its SQLSTATE and the details PostgREST passes on. */
export interface PgError extends Error {
  code: string
  detail?: string
  hint?: string
}

export function isPgError(e: unknown): e is PgError {
  return e instanceof Error && typeof (e as PgError).code === 'string' && /^[0-9A-Z]{5}$/.test((e as PgError).code)
}

// json, jsonb and bigint stay text: the REST layer asks PostgreSQL for JSON and passes it on untouched.
const rawParsers = Object.fromEntries(
  [20, 114, 3802].map((oid) => [oid, (v: string) => v]),
)

export interface PgliteOptions {
  /** Start from this copy of a data folder (PGlite's dumpDataDir) instead of an empty database. */
  loadDataDir?: Blob
}

export async function openPglite(dataDir: string | undefined, opts: PgliteOptions = {}): Promise<Db> {
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) })
  type Queryable = Pick<PGlite, 'query' | 'exec'>
  const wrap = (q: Queryable): Tx => ({
    async query(sql, params = []) {
      const r = await q.query<Record<string, unknown>>(sql, params, { parsers: rawParsers })
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length }
    },
    async exec(sql) {
      await q.exec(sql)
    },
  })
  const self = wrap(db)
  return {
    kind: 'pglite',
    query: self.query,
    exec: self.exec,
    transaction(fn) {
      return db.transaction((tx) => fn(wrap(tx as unknown as Queryable)))
    },
    async listen(channel, fn) {
      const unsub = await db.listen(channel, fn)
      return async () => {
        await unsub()
      }
    },
    async close() {
      await db.close()
    },
    dumpDataDir() {
      return db.dumpDataDir('none')
    },
  }
}

export async function openPostgres(connectionString: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: 8 })
  pool.on('error', () => {
    /* an idle client died; the pool replaces it */
  })
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      rawParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
  }
  const run = async (c: pg.PoolClient | pg.Pool, sql: string, params: unknown[] = []) => {
    const r = await c.query({ text: sql, values: params, types })
    return { rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? r.rows.length }
  }
  const listeners: pg.PoolClient[] = []
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async exec(sql) {
      await pool.query(sql)
    },
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('begin')
        const out = await fn({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql)
          },
        })
        await client.query('commit')
        return out
      } catch (e) {
        await client.query('rollback').catch(() => undefined)
        throw e
      } finally {
        client.release()
      }
    },
    async listen(channel, fn) {
      const client = await pool.connect()
      listeners.push(client)
      client.on('notification', (n) => {
        if (n.channel === channel) fn(n.payload ?? '')
      })
      await client.query(`listen "${channel.replace(/"/g, '""')}"`)
      return async () => {
        await client.query(`unlisten "${channel.replace(/"/g, '""')}"`).catch(() => undefined)
        client.release()
        listeners.splice(listeners.indexOf(client), 1)
      }
    },
    async close() {
      for (const c of listeners.splice(0)) c.release()
      await pool.end()
    },
  }
}
