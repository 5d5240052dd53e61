/**
 * Turns parsed requests into SQL. Values are always bound parameters; identifiers come only from the
 * schema cache (checked first, then quoted).
 */
import { quoteIdent as q, toPgArrayLiteral, type Catalog, type DbFunction, type Relation } from './catalog'
import { apiError } from './errors'
import type { Condition, FieldRef, Filter, Logic, OrderTerm, SelectItem } from './parse'
import { findRelationship, type Relationship } from './relationships'

export class Params {
  readonly values: unknown[] = []
  add(v: unknown): string {
    this.values.push(v)
    return `$${this.values.length}`
  }
}

/** Filters, order and paging for one level of the request (the root, or an embed by its path). */
export interface Level {
  filters: Filter[]
  order: OrderTerm[]
  limit: number | null
  offset: number | null
}

export type Levels = Map<string, Level>

export const emptyLevel = (): Level => ({ filters: [], order: [], limit: null, offset: null })

interface EmbedInfo {
  key: string // the alias it is output under
  name: string
  rel: Relationship
  alias: string // lateral alias e<n>
  childAlias: string
}

export interface BuiltLevel {
  selectList: string
  from: string
  where: string[]
  orderBy: string
  paging: string
}

export class QueryBuilder {
  private aliasCounter = 0
  constructor(
    readonly cat: Catalog,
    readonly params: Params,
    readonly levels: Levels,
  ) {}

  nextAlias(prefix: string) {
    return `${prefix}${this.aliasCounter++}`
  }

  private computedField(rel: Relation, name: string): DbFunction | undefined {
    return (this.cat.functions.get(name) ?? []).find((fn) => fn.argRelation === rel.name && fn.args.length === 1 && !fn.returnsSet)
  }

  checkColumn(rel: Relation, column: string) {
    if (!rel.columns.has(column)) {
      throw apiError(400, '42703', `column ${rel.name}.${column} does not exist`)
    }
  }

  /**
   * A field of `rel` under `alias`: a column; else, as PostgreSQL reads PostgREST's `alias.name`, a
   * computed field (a function of the row, called with the row as its argument), or `count`, the
   * number of rows (how `select=count` and `messages(count)` count without aggregates enabled).
   */
  fieldExpr(rel: Relation, alias: string, f: FieldRef): string {
    let expr: string
    const computed = rel.columns.has(f.column) ? undefined : this.computedField(rel, f.column)
    if (computed) expr = `public.${q(computed.name)}(${alias}::public.${q(rel.name)})`
    else if (!rel.columns.has(f.column) && f.column === 'count' && f.jsonPath.length === 0) expr = 'count(*)'
    else {
      this.checkColumn(rel, f.column)
      expr = `${alias}.${q(f.column)}`
    }
    // Keys and array indexes are bound parameters, never SQL text.
    for (const step of f.jsonPath) {
      expr += 'index' in step ? `${step.arrow}${this.params.add(step.index)}::int` : `${step.arrow}${this.params.add(step.key)}::text`
    }
    return expr
  }

  /**
   * Builds one level: its select list, FROM with a lateral join per embed, WHERE, ORDER BY and paging.
   * `source` is what the rows come from (a table, a CTE, a function call) under `alias`.
   */
  buildLevel(rel: Relation, source: string, alias: string, select: SelectItem[], path: string[], joinCond: string | null): BuiltLevel {
    const level = this.levels.get(path.join('.')) ?? emptyLevel()
    const items: string[] = []
    const laterals: string[] = []
    const where: string[] = joinCond ? [joinCond] : []
    const embeds: EmbedInfo[] = []
    const lateralNames = new Set<string>()

    for (const item of select) {
      if (item.type === 'star') {
        items.push(`${alias}.*`)
      } else if (item.type === 'field') {
        let expr = this.fieldExpr(rel, alias, item.field)
        // item.cast is a type the catalogue named (see parse.ts), not text from the request.
        if (item.cast) expr = `cast(${expr} as ${item.cast})`
        items.push(`${expr} as ${q(outputName(item.alias, item.field))}`)
      } else {
        const relationship = findRelationship(this.cat, rel, item.name, item.hint)
        // PostgREST names each embed's lateral join <parent>_<alias or name>_<depth>, so the same
        // relation embedded twice without an alias is PostgreSQL's duplicate alias error.
        const lateralName = `${rel.name}_${item.alias ?? item.name}_${path.length + 1}`
        if (lateralNames.has(lateralName)) throw apiError(400, '42712', `table name "${lateralName}" specified more than once`)
        lateralNames.add(lateralName)
        const childAlias = this.nextAlias('t')
        const lateral = this.nextAlias('e')
        const key = item.alias ?? item.name
        const child = this.buildLevel(
          relationship.target,
          `public.${q(relationship.target.name)}`,
          childAlias,
          // An empty select (`profiles!inner()`) only joins: no column is read, so no grant is needed.
          item.select,
          [...path, key],
          relationship.join(alias, childAlias),
        )
        const childSql = levelSql(child)
        if (item.spread && !relationship.toOne) {
          // A to-many spread (PostgREST 13): each spread field becomes the array of its values, in the
          // embed's order, and [] when there are no rows; `v` is kept for !inner and is-null filters.
          const spreadNames = item.select.map((sub) => {
            if (sub.type === 'field') return outputName(sub.alias, sub.field)
            if (sub.type === 'embed' && !sub.spread) return sub.alias ?? sub.name
            throw apiError(400, 'PGRST127', 'Feature not implemented', 'A to-many spread takes only columns and embedded resources')
          })
          const arrays = spreadNames.map((n) => `coalesce(json_agg(pgrst_e.${q(n)}), '[]'::json) as ${q(n)}`)
          laterals.push(`left join lateral (select json_agg(pgrst_e) as v${arrays.map((a) => `, ${a}`).join('')} from (${childSql}) pgrst_e) ${lateral} on true`)
          embeds.push({ key, name: item.name, rel: relationship, alias: lateral, childAlias })
          if (item.joinType === 'inner') where.push(`${lateral}.v is not null`)
          for (const n of spreadNames) items.push(`${lateral}.${q(n)} as ${q(n)}`)
          continue
        }
        if (relationship.toOne) {
          laterals.push(`left join lateral (select row_to_json(pgrst_e)::json as v from (${childSql}) pgrst_e limit 1) ${lateral} on true`)
        } else {
          laterals.push(`left join lateral (select json_agg(pgrst_e) as v from (${childSql}) pgrst_e) ${lateral} on true`)
        }
        embeds.push({ key, name: item.name, rel: relationship, alias: lateral, childAlias })
        if (item.joinType === 'inner') where.push(`${lateral}.v is not null`)
        if (item.select.length === 0) continue // used for filtering only
        if (item.spread) {
          for (const sub of item.select) {
            if (sub.type === 'field') {
              const name = outputName(sub.alias, sub.field)
              items.push(`${lateral}.v->${this.params.add(name)}::text as ${q(name)}`)
            } else {
              throw apiError(400, 'PGRST127', 'Feature not implemented', 'Only columns can be spread from an embedded resource')
            }
          }
        } else {
          items.push(relationship.toOne ? `${lateral}.v as ${q(key)}` : `coalesce(${lateral}.v, '[]'::json) as ${q(key)}`)
        }
      }
    }

    for (const f of level.filters) where.push(this.filterSql(rel, alias, f, embeds))

    const orderBy = level.order.map((o) => this.orderSql(rel, alias, o, embeds)).join(', ')
    let paging = ''
    if (level.limit !== null) paging += ` limit ${this.params.add(level.limit)}::bigint`
    if (level.offset !== null) paging += ` offset ${this.params.add(level.offset)}::bigint`

    return {
      selectList: items.length ? items.join(', ') : `null as "pgrst_empty"`,
      from: `${source} ${alias} ${laterals.join(' ')}`,
      where,
      orderBy,
      paging,
    }
  }

  private orderSql(rel: Relation, alias: string, o: OrderTerm, embeds: EmbedInfo[]): string {
    let expr: string
    if (o.relation) {
      const e = embeds.find((x) => x.key === o.relation || x.name === o.relation)
      if (!e) {
        throw apiError(400, 'PGRST108', `'${o.relation}' is not an embedded resource in this request`, null, `Verify that '${o.relation}' is included in the 'select' query parameter.`)
      }
      if (!e.rel.toOne) {
        throw apiError(400, 'PGRST118', `A related order on '${o.relation}' is not possible`, `'${rel.name}' and '${e.rel.target.name}' do not form a many-to-one or one-to-one relationship`)
      }
      const sub = this.nextAlias('o')
      expr = `(select ${this.fieldExpr(e.rel.target, sub, o.field)} from public.${q(e.rel.target.name)} ${sub} where ${e.rel.join(alias, sub)} limit 1)`
    } else {
      expr = this.fieldExpr(rel, alias, o.field)
    }
    return `${expr}${o.direction ? ` ${o.direction}` : ''}${o.nulls ? ` nulls ${o.nulls}` : ''}`
  }

  filterSql(rel: Relation, alias: string, f: Filter, embeds: EmbedInfo[]): string {
    if (f.type === 'logic') return this.logicSql(rel, alias, f, embeds)
    return this.conditionSql(rel, alias, f, embeds)
  }

  private logicSql(rel: Relation, alias: string, l: Logic, embeds: EmbedInfo[]): string {
    if (l.children.length === 0) return l.negate ? 'false' : 'true'
    const inner = l.children.map((c) => this.filterSql(rel, alias, c, embeds)).join(` ${l.op} `)
    return `${l.negate ? 'not ' : ''}(${inner})`
  }

  private conditionSql(rel: Relation, alias: string, c: Condition, embeds: EmbedInfo[]): string {
    const embed = c.field.jsonPath.length === 0 && !rel.columns.has(c.field.column) ? embeds.find((e) => e.key === c.field.column) : undefined
    if (embed) {
      if (c.op !== 'is' || c.value.toLowerCase() !== 'null') {
        throw apiError(400, 'PGRST120', `Bad operator on the '${c.field.column}' embedded resource`, null, "Only is null or not is null filters are allowed on embedded resources")
      }
      return `${embed.alias}.v is ${c.negate ? 'not ' : ''}null`
    }
    const lhs = this.fieldExpr(rel, alias, c.field)
    const sql = this.operatorSql(lhs, c)
    return c.negate ? `not (${sql})` : sql
  }

  private operatorSql(lhs: string, c: Condition): string {
    const p = (v: unknown) => this.params.add(v)
    const simple: Record<string, string> = {
      eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'like', ilike: 'ilike', match: '~', imatch: '~*',
      cs: '@>', cd: '<@', ov: '&&', sl: '<<', sr: '>>', nxr: '&<', nxl: '&>', adj: '-|-', isdistinct: 'is distinct from',
    }
    const likeValue = (v: string | null) => (c.op === 'like' || c.op === 'ilike') && v !== null ? v.replace(/\*/g, '%') : v
    if (c.modifier && (c.modifier.kind === 'any' || c.modifier.kind === 'all')) {
      return `${lhs} ${simple[c.op]} ${c.modifier.kind}(${p(toPgArrayLiteral((c.list ?? []).map(likeValue)))})`
    }
    switch (c.op) {
      case 'in':
        return `${lhs} = any(${p(toPgArrayLiteral(c.list ?? []))})`
      case 'is': {
        const v = c.value.toLowerCase()
        return v === 'not_null' ? `${lhs} is not null` : `${lhs} is ${v}`
      }
      case 'fts':
      case 'plfts':
      case 'phfts':
      case 'wfts': {
        const fn = { fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery' }[c.op]
        const config = c.modifier?.kind === 'config' ? `${p(c.modifier.config)}::regconfig, ` : ''
        return `${lhs} @@ ${fn}(${config}${p(c.value)})`
      }
      case 'ov':
        // Arrays are written {a,b} and ranges [1,2); PostgREST also accepts (a,b) for arrays.
        return `${lhs} && ${p(/^\(.*\)$/.test(c.value) ? `{${c.value.slice(1, -1)}}` : c.value)}`
      default:
        return `${lhs} ${simple[c.op]} ${p(likeValue(c.value))}`
    }
  }
}

/** The key a selected field is output under: its alias, else the last JSON key, else the column. */
function outputName(alias: string | null, field: FieldRef): string {
  if (alias !== null) return alias
  const last = field.jsonPath[field.jsonPath.length - 1]
  return last === undefined ? field.column : 'index' in last ? String(last.index) : last.key
}

export function levelSql(l: BuiltLevel): string {
  return `select ${l.selectList} from ${l.from}${l.where.length ? ` where ${l.where.join(' and ')}` : ''}${l.orderBy ? ` order by ${l.orderBy}` : ''}${l.paging}`
}

/** The rows a count counts, without counting them: what PostgREST asks the planner to estimate. */
export function countSourceSql(l: BuiltLevel): string {
  return `select 1 from ${l.from}${l.where.length ? ` where ${l.where.join(' and ')}` : ''}`
}

export function countSql(l: BuiltLevel): string {
  return `select count(*) as n from ${l.from}${l.where.length ? ` where ${l.where.join(' and ')}` : ''}`
}
