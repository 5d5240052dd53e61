/** Finds the foreign-key relationship an embedded resource refers to, as PostgREST does. */
import type { Catalog, ForeignKey, Relation } from './catalog'
import { ApiError, apiError } from './errors'

export interface Relationship {
  target: Relation
  /** True when the embed yields one object (many-to-one, one-to-one) rather than an array. */
  toOne: boolean
  /** SQL condition joining child alias `c` to parent alias `p`. */
  join(p: string, c: string): string
  describe: string
}

interface Candidate extends Relationship {
  cardinality: 'many-to-one' | 'one-to-many' | 'one-to-one' | 'many-to-many'
  /** PostgREST's description of the relationship in a PGRST201 error. */
  relationship: string
  /** What to write after `!` to pick this relationship. */
  hintName: string
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`

function pairs(a: string, ac: string[], b: string, bc: string[]) {
  return ac.map((col, i) => `${a}.${q(col)} = ${b}.${q(bc[i])}`).join(' and ')
}

function isUnique(rel: Relation, cols: string[]) {
  const set = [...cols].sort().join()
  return rel.uniques.some((u) => [...u].sort().join() === set)
}

export function findRelationship(cat: Catalog, parent: Relation, name: string, hint: string | null): Relationship {
  let targetName = name
  let columnHint: string | null = null
  // Embedding through a foreign-key column of the parent: `author_id(display_name)`.
  if (!cat.relations.has(name) && parent.columns.has(name)) {
    const fk = cat.foreignKeys.find((f) => f.from === parent.name && f.fromColumns.length === 1 && f.fromColumns[0] === name)
    if (fk) {
      targetName = fk.to
      columnHint = name
    }
  }
  const target = cat.relations.get(targetName)
  const notFound = () =>
    apiError(
      400,
      'PGRST200',
      `Could not find a relationship between '${parent.name}' and '${name}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent.name}' and '${name}'${hint ? ` using the hint '${hint}'` : ''} in the schema 'public', but no matches were found.`,
      'Perhaps you meant a different table name, or the relationship is not a foreign key in the public schema.',
    )
  if (!target) throw notFound()

  const matchesHint = (fk: ForeignKey, h: string | null) =>
    h === null || fk.name === h || (fk.fromColumns.length === 1 && fk.fromColumns[0] === h) || (fk.toColumns.length === 1 && fk.toColumns[0] === h)

  // Every candidate, as PostgREST's schema cache lists them: foreign keys of the parent (many-to-one),
  // foreign keys pointing at it (one-to-many), then junction tables (many-to-many).
  const found: Candidate[] = []
  for (const fk of cat.foreignKeys) {
    if (fk.from === parent.name && fk.to === target.name && matchesHint(fk, columnHint ?? hint)) {
      found.push({
        target,
        toOne: true,
        join: (p, c) => pairs(c, fk.toColumns, p, fk.fromColumns),
        describe: `many-to-one using ${parent.name}(${fk.fromColumns.join(', ')}) and ${target.name}(${fk.toColumns.join(', ')})`,
        cardinality: isUnique(parent, fk.fromColumns) ? 'one-to-one' : 'many-to-one',
        relationship: `${fk.name} using ${parent.name}(${fk.fromColumns.join(', ')}) and ${target.name}(${fk.toColumns.join(', ')})`,
        hintName: fk.name,
      })
    }
    if (columnHint) continue
    if (fk.from === target.name && fk.to === parent.name && fk.from !== fk.to && matchesHint(fk, hint)) {
      const toOne = isUnique(target, fk.fromColumns)
      found.push({
        target,
        toOne,
        join: (p, c) => pairs(c, fk.fromColumns, p, fk.toColumns),
        describe: `one-to-many using ${parent.name}(${fk.toColumns.join(', ')}) and ${target.name}(${fk.fromColumns.join(', ')})`,
        cardinality: toOne ? 'one-to-one' : 'one-to-many',
        relationship: `${fk.name} using ${parent.name}(${fk.toColumns.join(', ')}) and ${target.name}(${fk.fromColumns.join(', ')})`,
        hintName: fk.name,
      })
    }
  }
  // Many-to-many through a junction table whose primary key holds the columns of both foreign keys.
  // PostgREST offers these alongside the direct relationships, so a table reachable both ways is
  // ambiguous until a hint picks one.
  if (!columnHint) {
    for (const junction of cat.relations.values()) {
      if (junction.kind !== 'table' || junction.name === parent.name || junction.name === target.name) continue
      if (hint && hint !== junction.name) continue
      const toParent = cat.foreignKeys.filter((f) => f.from === junction.name && f.to === parent.name)
      const toTarget = cat.foreignKeys.filter((f) => f.from === junction.name && f.to === target.name)
      for (const a of toParent) {
        for (const b of toTarget) {
          if (a.name === b.name) continue
          const inKey = [...a.fromColumns, ...b.fromColumns].every((col) => junction.primaryKey.includes(col))
          if (!inKey) continue
          found.push({
            target,
            toOne: false,
            join: (p, c) =>
              `exists (select 1 from public.${q(junction.name)} pgrst_j where ${pairs('pgrst_j', a.fromColumns, p, a.toColumns)} and ${pairs('pgrst_j', b.fromColumns, c, b.toColumns)})`,
            describe: `many-to-many using ${junction.name}`,
            cardinality: 'many-to-many',
            relationship: `${junction.name} using ${a.name}(${a.fromColumns.join(', ')}) and ${b.name}(${b.fromColumns.join(', ')})`,
            hintName: junction.name,
          })
        }
      }
    }
  }
  if (found.length === 0) throw notFound()
  if (found.length > 1) {
    throw new ApiError(300, {
      code: 'PGRST201',
      message: `Could not embed because more than one relationship was found for '${parent.name}' and '${name}'`,
      details: found.map((f) => ({ cardinality: f.cardinality, embedding: `${parent.name} with ${target.name}`, relationship: f.relationship })),
      hint: `Try changing '${name}' to one of the following: ${found.map((f) => `'${target.name}!${f.hintName}'`).join(', ')}. Find the desired relationship in the 'details' key.`,
    })
  }
  return found[0]
}
