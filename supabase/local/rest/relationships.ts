/**
 * Finds the relationship an embedded resource refers to, as PostgREST's schema cache and its `findRel`
 * (Plan.hs) do. Every foreign key gives its table a many-to-one (one-to-one when the key's columns are
 * unique) and the referenced table the inverse one-to-many; a table whose primary key holds the columns
 * of two foreign keys joins their tables many-to-many. A self-referencing key gives its table both.
 */
import type { Catalog, ForeignKey, Relation } from './catalog'
import { ApiError, apiError } from './errors'

export interface Relationship {
  target: Relation
  /** True when the embed yields one object (many-to-one, one-to-one) rather than an array. */
  toOne: boolean
  /** SQL condition joining child alias `c` to parent alias `p`. */
  join(p: string, c: string): string
}

type Cardinality = 'many-to-one' | 'one-to-one' | 'one-to-many' | 'many-to-many'

/** One relationship from the parent's point of view, as PostgREST lists it. */
interface Candidate extends Relationship {
  cardinality: Cardinality
  /** The foreign key (direct relationships) or the junction table (many-to-many). */
  constraint: string
  /** Column pairs (parent column, target column) of a direct relationship. */
  columns: [string, string][]
  /** PostgREST's description of the relationship in a PGRST201 error. */
  relationship: string
  self: boolean
  /** A foreign key of the parent itself (many-to-one, one-to-one), not one pointing at it. */
  outgoing: boolean
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`

function pairs(a: string, ac: string[], b: string, bc: string[]) {
  return ac.map((col, i) => `${a}.${q(col)} = ${b}.${q(bc[i])}`).join(' and ')
}

function isUnique(rel: Relation, cols: string[]) {
  const set = [...cols].sort().join()
  return rel.uniques.some((u) => [...u].sort().join() === set)
}

const list = (cols: string[]) => `(${cols.join(', ')})`

/** The direct relationships of `origin`: its foreign keys, then the foreign keys pointing at it. */
function directRelationships(cat: Catalog, origin: Relation): Candidate[] {
  const out: Candidate[] = []
  const direct = (fk: ForeignKey, outgoing: boolean): Candidate | null => {
    const target = cat.relations.get(outgoing ? fk.to : fk.from)
    if (!target) return null
    const [mine, theirs] = outgoing ? [fk.fromColumns, fk.toColumns] : [fk.toColumns, fk.fromColumns]
    // Through a view, the table's own key columns decide (PostgREST keeps the table's cardinality).
    const keyTable = cat.relations.get(fk.table)
    const tableColumns = cat.foreignKeys.find((k) => k.name === fk.name && k.from === fk.table)?.fromColumns ?? fk.fromColumns
    const oneToOne = keyTable !== undefined && isUnique(keyTable, tableColumns)
    const cardinality: Cardinality = oneToOne ? 'one-to-one' : outgoing ? 'many-to-one' : 'one-to-many'
    return {
      target,
      toOne: cardinality !== 'one-to-many',
      join: (p, c) => pairs(c, theirs, p, mine),
      cardinality,
      constraint: fk.name,
      columns: mine.map((m, i) => [m, theirs[i]]),
      relationship: `${fk.name} using ${origin.name}${list(mine)} and ${target.name}${list(theirs)}`,
      self: fk.from === fk.to,
      outgoing,
    }
  }
  for (const fk of cat.foreignKeys) {
    if (fk.from === origin.name) {
      const c = direct(fk, true)
      if (c) out.push(c)
    }
  }
  for (const fk of cat.foreignKeys) {
    if (fk.to === origin.name) {
      const c = direct(fk, false)
      if (c) out.push(c)
    }
  }
  return out
}

/**
 * Many-to-many relationships of `origin`: through each table whose primary key holds the columns of one
 * foreign key to `origin` and another (a different constraint) to the target.
 */
function junctionRelationships(cat: Catalog, origin: Relation): Candidate[] {
  const out: Candidate[] = []
  for (const junction of cat.relations.values()) {
    if (junction.kind !== 'table') continue
    const keys = cat.foreignKeys.filter((f) => f.from === junction.name)
    for (const a of keys.filter((f) => f.to === origin.name)) {
      // PostgREST pairs each key to the parent with the junction's keys in reverse order.
      for (const b of [...keys].reverse()) {
        const target = cat.relations.get(b.to)
        if (!target || a.name === b.name) continue
        if (![...a.fromColumns, ...b.fromColumns].every((col) => junction.primaryKey.includes(col))) continue
        out.push({
          target,
          toOne: false,
          join: (p, c) =>
            `exists (select 1 from public.${q(junction.name)} pgrst_j where ${pairs('pgrst_j', a.fromColumns, p, a.toColumns)} and ${pairs('pgrst_j', b.fromColumns, c, b.toColumns)})`,
          cardinality: 'many-to-many',
          constraint: junction.name,
          columns: [],
          relationship: `${junction.name} using ${a.name}${list(a.fromColumns)} and ${b.name}${list(b.fromColumns)}`,
          self: origin.name === target.name,
          outgoing: false,
        })
      }
    }
  }
  return out
}

/**
 * PostgREST's choice among the parent's relationships for `name` and the optional `!hint`:
 * - self-referencing: `name` alone is the table (the children, one-to-many) or the foreign-key column
 *   (the parent, many-to-one); with a hint, only the children through the foreign-key column the hint
 *   names (`children:collections!parent_id`);
 * - otherwise `name` is the target table, or a foreign-key constraint, or a single foreign-key column of
 *   the parent; a hint names a constraint, a column on either side, or the junction table.
 * More than one match is PGRST201 (300), none PGRST200.
 */
export function findRelationship(cat: Catalog, parent: Relation, name: string, hint: string | null): Relationship {
  // PostgREST lists a table's relationships newest first: the inverse (one-to-many) ones it added last,
  // then many-to-many, then the table's own foreign keys; its PGRST201 details keep that order.
  const direct0 = directRelationships(cat, parent)
  const all = [...direct0.filter((c) => c.outgoing), ...junctionRelationships(cat, parent), ...direct0.filter((c) => !c.outgoing)].reverse()
  const direct = (c: Candidate) => c.cardinality !== 'many-to-many'
  const singleColumn = (c: Candidate, side: 0 | 1, col: string) => direct(c) && c.columns.length === 1 && c.columns[0][side] === col
  const found = all.filter((c) => {
    if (c.self) {
      if (hint === null) {
        return (c.target.name === name && c.cardinality === 'one-to-many') || (singleColumn(c, 0, name) && c.cardinality === 'many-to-one')
      }
      return c.target.name === name && c.cardinality === 'one-to-many' && singleColumn(c, 1, hint)
    }
    if (hint === null) {
      const fromTable = c.target.kind === 'table'
      return c.target.name === name || (fromTable && direct(c) && c.constraint === name) || (fromTable && singleColumn(c, 0, name))
    }
    return (
      c.target.name === name &&
      (direct(c) ? c.constraint === hint || singleColumn(c, 0, hint) || singleColumn(c, 1, hint) : c.constraint === hint)
    )
  })
  if (found.length === 0) {
    throw apiError(
      400,
      'PGRST200',
      `Could not find a relationship between '${parent.name}' and '${name}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent.name}' and '${name}'${hint ? ` using the hint '${hint}'` : ''} in the schema 'public', but no matches were found.`,
      null,
    )
  }
  if (found.length > 1) {
    throw new ApiError(300, {
      code: 'PGRST201',
      message: `Could not embed because more than one relationship was found for '${parent.name}' and '${name}'`,
      details: found.map((f) => ({ cardinality: f.cardinality, embedding: `${parent.name} with ${f.target.name}`, relationship: f.relationship })),
      hint: `Try changing '${name}' to one of the following: ${found.map((f) => `'${f.target.name}!${f.constraint}'`).join(', ')}. Find the desired relationship in the 'details' key.`,
    })
  }
  return found[0]
}
