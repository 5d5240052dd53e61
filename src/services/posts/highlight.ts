/**
 * The hit of a search, marked in the text a result shows: the words searched for, found as substrings
 * (Chinese has no spaces between words: 担保 is found inside 创业担保贷款贴息), case-insensitively for
 * Latin letters and digits. Pure; tested in tests/unit/highlight.test.ts.
 */

export interface HighlightSegment {
  text: string
  hit: boolean
}

/** The terms of a query: split on spaces, empty ones dropped, longest first (so 担保贷款 wins over 担保). */
export function searchTerms(query: string): string[] {
  const terms = query
    .split(/[\s\u3000]+/)
    .map((term) => term.trim())
    .filter((term) => term !== '')
  return [...new Set(terms)].sort((a, b) => b.length - a.length)
}

/**
 * The text cut into segments, those that match a term marked as hits. Overlapping matches merge into one
 * hit; the segments joined give the text back unchanged.
 */
export function highlightSegments(text: string, query: string): HighlightSegment[] {
  const terms = searchTerms(query)
  if (text === '') return []
  if (terms.length === 0) return [{ text, hit: false }]
  const lower = text.toLowerCase()
  const marked = new Array<boolean>(text.length).fill(false)
  for (const term of terms) {
    const needle = term.toLowerCase()
    let from = 0
    for (;;) {
      const at = lower.indexOf(needle, from)
      if (at < 0) break
      for (let i = at; i < at + needle.length; i++) marked[i] = true
      from = at + Math.max(needle.length, 1)
    }
  }
  const segments: HighlightSegment[] = []
  let start = 0
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marked[i] !== marked[start]) {
      segments.push({ text: text.slice(start, i), hit: marked[start] })
      start = i
    }
  }
  return segments
}

/** Whether the text holds any term of the query. */
export function hasHit(text: string, query: string): boolean {
  return highlightSegments(text, query).some((segment) => segment.hit)
}

/**
 * A short excerpt of a long text around its first hit (for a body match shown under the title): up to
 * `radius` characters either side, with … where it was cut. The text's start when nothing matches.
 */
export function excerptAround(text: string, query: string, radius = 30): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const lower = flat.toLowerCase()
  let at = -1
  for (const term of searchTerms(query)) {
    const found = lower.indexOf(term.toLowerCase())
    if (found >= 0 && (at < 0 || found < at)) at = found
  }
  if (at < 0) return flat.length > radius * 2 ? `${flat.slice(0, radius * 2)}…` : flat
  const start = Math.max(0, at - radius)
  const end = Math.min(flat.length, at + radius * 2)
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`
}
