/** The shapes a /rest/v1 request and response take between the HTTP server and the REST modules. */
import type { Db } from '../db'
import type { Keys } from '../keys'
import type { Catalog } from './catalog'

export interface RestRequest {
  method: string
  /** Path below /rest/v1, e.g. `/posts` or `/rpc/search_posts`. */
  path: string
  query: URLSearchParams
  headers: Record<string, string | undefined>
  body: string
}

export interface RestResponse {
  status: number
  headers: Record<string, string>
  body: string
}

export interface RestContext {
  db: Db
  keys: Keys
  catalog(): Catalog
  /** The backend's log, for failures whose details must not reach the client. */
  log?: (line: string) => void
}

/** Who is calling: the role the request runs as and the JWT claims policies read. */
export interface Caller {
  role: string
  claims: Record<string, unknown>
}
