/** The Prefer header, read as PostgREST reads it. */
import { apiError } from './errors'

export interface Prefer {
  return: 'representation' | 'minimal' | 'headers-only' | null
  count: 'exact' | 'planned' | 'estimated' | null
  resolution: 'merge-duplicates' | 'ignore-duplicates' | null
  missing: 'default' | 'null' | null
  handling: 'strict' | 'lenient'
  /** `max-affected=N`: with handling=strict, more rows changed (or returned by a function) is PGRST124. */
  maxAffected: number | null
  applied: string[]
}

export function parsePrefer(header: string | undefined): Prefer {
  const p: Prefer = { return: null, count: null, resolution: null, missing: null, handling: 'lenient', maxAffected: null, applied: [] }
  let maxAffected: string | null = null
  const invalid: string[] = []
  for (const raw of (header ?? '').split(',')) {
    const item = raw.trim()
    if (!item) continue
    const [k, v] = item.split('=').map((s) => s.trim())
    if (k === 'return' && ['representation', 'minimal', 'headers-only'].includes(v)) p.return = v as Prefer['return']
    else if (k === 'count' && ['exact', 'planned', 'estimated'].includes(v)) p.count = v as Prefer['count']
    else if (k === 'resolution' && ['merge-duplicates', 'ignore-duplicates'].includes(v)) p.resolution = v as Prefer['resolution']
    else if (k === 'missing' && ['default', 'null'].includes(v)) p.missing = v as Prefer['missing']
    else if (k === 'handling' && ['strict', 'lenient'].includes(v)) p.handling = v as Prefer['handling']
    // Supabase runs PostgREST with db-tx-end = commit, which does not let a client choose the end of
    // the transaction: a tx preference is invalid (ignored, or refused with handling=strict).
    else if (k === 'max-affected') {
      // PostgREST reads the first max-affected=<integer> and ignores one that is not a number.
      if (maxAffected === null && /^-?\d+$/.test(v ?? '') && Number.isSafeInteger(Number(v))) maxAffected = v
      continue
    } else if (k === 'params' && v === 'single-object') continue
    else {
      invalid.push(item)
      continue
    }
    p.applied.push(item)
  }
  if (maxAffected !== null) {
    p.maxAffected = Number(maxAffected)
    // PostgREST reports max-affected as applied only with handling=strict, the only case it acts on it.
    if (p.handling === 'strict') p.applied.push(`max-affected=${p.maxAffected}`)
  }
  if (p.handling === 'strict' && invalid.length) {
    throw apiError(400, 'PGRST122', 'Invalid preferences given with handling=strict', `Invalid preferences: ${invalid.join(', ')}`)
  }
  return p
}

/** The Preference-Applied header for the preferences honoured, if any. */
export function appliedHeader(prefer: Prefer): Record<string, string> {
  return prefer.applied.length ? { 'Preference-Applied': prefer.applied.join(', ') } : {}
}

/** PostgREST's PGRST124 when a strict max-affected is exceeded; the transaction is rolled back. */
export function checkMaxAffected(prefer: Prefer, n: number) {
  if (prefer.handling === 'strict' && prefer.maxAffected !== null && n > prefer.maxAffected) {
    throw apiError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', `The query affects ${n} rows`)
  }
}
