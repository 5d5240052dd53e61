/** The Prefer header, read as PostgREST reads it. */
import { apiError } from './errors'

export interface Prefer {
  return: 'representation' | 'minimal' | 'headers-only' | null
  count: 'exact' | 'planned' | 'estimated' | null
  resolution: 'merge-duplicates' | 'ignore-duplicates' | null
  missing: 'default' | 'null' | null
  handling: 'strict' | 'lenient'
  applied: string[]
}

export function parsePrefer(header: string | undefined): Prefer {
  const p: Prefer = { return: null, count: null, resolution: null, missing: null, handling: 'lenient', applied: [] }
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
    else if (k === 'params' && v === 'single-object') continue
    else {
      invalid.push(item)
      continue
    }
    p.applied.push(item)
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
