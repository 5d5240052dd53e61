/**
 * The schema cache: what `public` exposes (tables, views, columns, keys, foreign keys, functions), read
 * from the PostgreSQL catalogue at start and again on `NOTIFY pgrst, 'reload schema'`, as PostgREST does.
 * Every identifier in a request is checked against it before any SQL is built.
 */
import type { Tx } from '../db'

export interface Column {
  name: string
  /** format_type() of the column, e.g. `text[]`, `public.post_kind`, `timestamp with time zone`. */
  type: string
  udtName: string
  typeKind: string // b base, e enum, c composite, d domain, r range
  elementUdt: string | null
  nullable: boolean
  hasDefault: boolean
  generated: boolean
  identity: boolean
  /**
   * The SQL of the column's default as the catalogue prints it (pg_get_expr), or `nextval(...)` of an
   * identity column's sequence: what `Prefer: missing=default` evaluates, row by row, for a missing key.
   */
  defaultSql: string | null
}

export interface Relation {
  schema: string
  name: string
  kind: 'table' | 'view'
  columns: Map<string, Column>
  primaryKey: string[]
  /** Column sets with a unique constraint or unique index (the primary key included). */
  uniques: string[][]
  insertable: boolean
}

/** A foreign key; the catalogue lists them as PostgREST's schema cache reads them (by table, then name). */
export interface ForeignKey {
  name: string
  from: string // relation name
  fromColumns: string[]
  to: string
  toColumns: string[]
  /**
   * The table the key belongs to. A key PostgREST infers for a view (its columns are the table's key
   * columns, passed through unchanged) names the view in `from` or `to` and keeps the table here, whose
   * unique constraints still decide whether the relationship is one-to-one.
   */
  table: string
}

export interface FunctionArg {
  name: string
  type: string
  hasDefault: boolean
}

export interface DbFunction {
  name: string
  args: FunctionArg[]
  returnType: string
  /** The relation a `setof <table>` function returns, for selects and embeds on its result. */
  returnsRelation: string | null
  returnsSet: boolean
  returnsComposite: boolean
  returnsVoid: boolean
  /** Columns of a `returns table (...)` / OUT-parameter function, served like a relation's. */
  outColumns: { name: string; type: string }[]
  volatility: 'i' | 's' | 'v'
  /**
   * The relation whose row type is the function's only argument: the function is then a computed field
   * of that relation, selected, filtered and ordered like a column (PostgREST's computed fields).
   */
  argRelation: string | null
}

export interface Enum {
  name: string
  values: string[]
}

export interface Catalog {
  relations: Map<string, Relation>
  foreignKeys: ForeignKey[]
  functions: Map<string, DbFunction[]>
  enums: Enum[]
  compositeTypes: { name: string; attributes: { name: string; type: string }[] }[]
  /**
   * Type names a `::cast` in a select may use, mapped to the SQL naming them: every type of
   * pg_catalog, public and extensions (the API roles' search path) that is not a pseudo-type or a
   * table's row type, plus SQL's spellings of built-in types (`integer`, `double precision`, ...).
   */
  castTypes: Map<string, string>
  /**
   * Each API role's settings (`alter role ... set`, the current database's first), which PostgREST
   * applies per transaction to the role it switches to: statement_timeout above all.
   */
  roleSettings: Map<string, [string, string][]>
}

/** SQL-standard spellings PostgreSQL's grammar turns into catalogue types (PostgREST passes them through). */
const SQL_TYPE_SPELLINGS: Record<string, string> = {
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  float: 'float8',
  'double precision': 'float8',
  boolean: 'bool',
  decimal: 'numeric',
  dec: 'numeric',
  'character varying': 'varchar',
  // Unquoted char is char(1) in SQL; the cast here keeps the whole value (bpchar without a length).
  char: 'bpchar',
  character: 'bpchar',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  'bit varying': 'varbit',
}
const CAST_SCHEMAS = ['pg_catalog', 'public', 'extensions']

export const EXPOSED_SCHEMA = 'public'

export async function loadCatalog(tx: Tx, schema = EXPOSED_SCHEMA): Promise<Catalog> {
  const rels = await tx.query(
    `select c.oid::int as oid, c.relname as name, c.relkind as kind,
            pg_relation_is_updatable(c.oid, false) & 8 = 8 as insertable
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f')
      order by c.relname`,
    [schema],
  )
  const cols = await tx.query(
    `select a.attrelid::int as relid, a.attnum::int as attnum, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
            t.typname as udt, t.typtype as typtype, et.typname as element_udt,
            not a.attnotnull as nullable, a.atthasdef as has_default,
            a.attgenerated <> '' as generated, a.attidentity <> '' as identity,
            case when a.attidentity <> ''
                 then format('nextval(%L::regclass)', pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname))
                 when a.attgenerated = '' then pg_get_expr(d.adbin, d.adrelid) end as default_sql
       from pg_attribute a
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       join pg_class c on c.oid = a.attrelid
       join pg_namespace n on n.oid = c.relnamespace
       join pg_type t on t.oid = a.atttypid
       left join pg_type et on et.oid = t.typelem and t.typcategory = 'A'
      where n.nspname = $1 and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f')
      order by a.attrelid, a.attnum`,
    [schema],
  )
  const keys = await tx.query(
    `select con.conrelid::int as relid, con.contype as kind,
            array(select a.attname from unnest(con.conkey) with ordinality k(attnum, i)
                  join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.i)::text as columns
       from pg_constraint con join pg_namespace n on n.oid = con.connamespace
      where n.nspname = $1 and con.contype in ('p', 'u')
     union all
     select i.indrelid::int, 'u',
            array(select a.attname from unnest(i.indkey) with ordinality k(attnum, n)
                  join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.n)::text
       from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and i.indisunique and i.indpred is null and not i.indisprimary`,
    [schema],
  )
  const fks = await tx.query(
    `select con.conname as name, src.relname as from_rel, dst.relname as to_rel,
            array(select a.attname from unnest(con.conkey) with ordinality k(attnum, i)
                  join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.i)::text as from_cols,
            array(select a.attname from unnest(con.confkey) with ordinality k(attnum, i)
                  join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.i)::text as to_cols
       from pg_constraint con
       join pg_class src on src.oid = con.conrelid join pg_namespace sn on sn.oid = src.relnamespace
       join pg_class dst on dst.oid = con.confrelid join pg_namespace dn on dn.oid = dst.relnamespace
      where con.contype = 'f' and sn.nspname = $1 and dn.nspname = $1
      order by con.conrelid, con.conname`,
    [schema],
  )
  const fns = await tx.query(
    `select p.proname as name, p.provolatile as volatility, p.proretset as returns_set,
            format_type(p.prorettype, null) as return_type, rt.typtype as return_typtype,
            rc.relname as return_relation, rn.nspname as return_relation_schema, p.pronargdefaults as ndefaults,
            coalesce(p.proargnames, '{}')::text as arg_names,
            (select ac.relname from pg_class ac join pg_namespace an on an.oid = ac.relnamespace
              where p.pronargs = 1 and ac.reltype = p.proargtypes[0] and an.nspname = $1) as arg_relation,
            coalesce(p.proargmodes::text, '{}') as arg_modes,
            array(select format_type(t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) t)::text as arg_types
       from pg_proc p
       join pg_namespace n on n.oid = p.pronamespace
       join pg_type rt on rt.oid = p.prorettype
       left join pg_class rc on rc.oid = rt.typrelid
       left join pg_namespace rn on rn.oid = rc.relnamespace
      where n.nspname = $1 and p.prokind = 'f'
      order by p.proname`,
    [schema],
  )
  const viewRules = await tx.query(
    `select c.relname as view, r.ev_action::text as action
       from pg_rewrite r join pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('v', 'm') and r.rulename = '_RETURN'`,
    [schema],
  )
  const enums = await tx.query(
    `select t.typname as name, array_agg(e.enumlabel order by e.enumsortorder)::text as labels
       from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = $1 group by t.typname order by t.typname`,
    [schema],
  )
  const composites = await tx.query(
    `select t.typname as name,
            array(select a.attname || ' ' || format_type(a.atttypid, a.atttypmod) from pg_attribute a
                   where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped order by a.attnum)::text as attrs
       from pg_type t join pg_class c on c.oid = t.typrelid join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = $1 and t.typtype = 'c' and c.relkind = 'c' order by t.typname`,
    [schema],
  )

  const types = await tx.query(
    `select n.nspname as schema, t.typname as name
       from pg_type t join pg_namespace n on n.oid = t.typnamespace
       left join pg_class c on c.oid = t.typrelid
      where n.nspname in ('pg_catalog', 'public', 'extensions') and t.typisdefined and t.typtype <> 'p'
        and (c.oid is null or c.relkind = 'c')`,
  )
  const castTypes = new Map<string, string>()
  // The first schema of the search path wins, as it would in PostgreSQL.
  for (const schemaName of CAST_SCHEMAS) {
    for (const t of types.rows) {
      const name = String(t.name)
      if (t.schema === schemaName && !castTypes.has(name)) castTypes.set(name, `${quoteIdent(schemaName)}.${quoteIdent(name)}`)
    }
  }
  for (const [spelling, name] of Object.entries(SQL_TYPE_SPELLINGS)) castTypes.set(spelling, `"pg_catalog".${quoteIdent(name)}`)

  const settings = await tx.query(
    `select r.rolname as role, split_part(c.setting, '=', 1) as key, substr(c.setting, strpos(c.setting, '=') + 1) as value
       from pg_db_role_setting s
       join pg_roles r on r.oid = s.setrole
       cross join lateral unnest(s.setconfig) c(setting)
      where r.rolname in ('anon', 'authenticated', 'service_role')
        and s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
      order by r.rolname, s.setdatabase`,
  )
  const roleSettings = new Map<string, [string, string][]>()
  for (const row of settings.rows) {
    // Rows for the whole cluster (database 0) come first; the current database's replace them.
    const list = (roleSettings.get(String(row.role)) ?? []).filter(([k]) => k !== row.key)
    list.push([String(row.key), String(row.value)])
    roleSettings.set(String(row.role), list)
  }

  const byOid = new Map<number, Relation>()
  const relations = new Map<string, Relation>()
  for (const r of rels.rows) {
    const rel: Relation = {
      schema,
      name: String(r.name),
      kind: r.kind === 'v' || r.kind === 'm' ? 'view' : 'table',
      columns: new Map(),
      primaryKey: [],
      uniques: [],
      insertable: Boolean(r.insertable),
    }
    byOid.set(Number(r.oid), rel)
    relations.set(rel.name, rel)
  }
  for (const c of cols.rows) {
    const rel = byOid.get(Number(c.relid))
    if (!rel) continue
    rel.columns.set(String(c.name), {
      name: String(c.name),
      type: String(c.type),
      udtName: String(c.udt),
      typeKind: String(c.typtype),
      elementUdt: c.element_udt == null ? null : String(c.element_udt),
      nullable: Boolean(c.nullable),
      hasDefault: Boolean(c.has_default),
      generated: Boolean(c.generated),
      identity: Boolean(c.identity),
      defaultSql: c.default_sql == null ? null : String(c.default_sql),
    })
  }
  for (const k of keys.rows) {
    const rel = byOid.get(Number(k.relid))
    if (!rel) continue
    const columns = parsePgTextArray(String(k.columns))
    if (k.kind === 'p') rel.primaryKey = columns
    if (!rel.uniques.some((u) => u.join() === columns.join())) rel.uniques.push(columns)
  }
  const tableKeys: ForeignKey[] = fks.rows.map((f) => ({
    name: String(f.name),
    from: String(f.from_rel),
    fromColumns: parsePgTextArray(String(f.from_cols)),
    to: String(f.to_rel),
    toColumns: parsePgTextArray(String(f.to_cols)),
    table: String(f.from_rel),
  }))
  const attnames = new Map<string, string>()
  for (const c of cols.rows) attnames.set(`${c.relid}:${c.attnum}`, String(c.name))
  const views = viewRules.rows.map((v) => ({ name: String(v.view), columns: viewColumnOrigins(String(v.action), byOid, attnames) }))
  const foreignKeys = [...tableKeys, ...viewForeignKeys(tableKeys, views)]

  const functions = new Map<string, DbFunction[]>()
  for (const f of fns.rows) {
    const names = parsePgTextArray(String(f.arg_names))
    const modes = parsePgTextArray(String(f.arg_modes))
    const types = parsePgTextArray(String(f.arg_types))
    const inputs: FunctionArg[] = []
    const outColumns: { name: string; type: string }[] = []
    types.forEach((type, i) => {
      const mode = modes[i] ?? 'i'
      if (mode === 'i' || mode === 'b' || mode === 'v') inputs.push({ name: names[i] ?? '', type, hasDefault: false })
      if (mode === 'o' || mode === 'b' || mode === 't') outColumns.push({ name: names[i] ?? '', type })
    })
    const nDefaults = Number(f.ndefaults)
    for (let i = inputs.length - nDefaults; i < inputs.length; i++) if (i >= 0) inputs[i].hasDefault = true
    const fn: DbFunction = {
      name: String(f.name),
      args: inputs,
      returnType: String(f.return_type),
      returnsRelation: f.return_relation_schema === schema ? String(f.return_relation) : null,
      returnsSet: Boolean(f.returns_set),
      returnsComposite: f.return_typtype === 'c',
      returnsVoid: f.return_type === 'void',
      outColumns: outColumns.length > 1 || f.return_type === 'record' ? outColumns : [],
      volatility: String(f.volatility) as DbFunction['volatility'],
      argRelation: f.arg_relation == null ? null : String(f.arg_relation),
    }
    const list = functions.get(fn.name) ?? []
    list.push(fn)
    functions.set(fn.name, list)
  }

  return {
    castTypes,
    roleSettings,
    relations,
    foreignKeys,
    functions,
    enums: enums.rows.map((e) => ({ name: String(e.name), values: parsePgTextArray(String(e.labels)) })),
    compositeTypes: composites.rows.map((c) => ({
      name: String(c.name),
      attributes: parsePgTextArray(String(c.attrs)).map((a) => {
        const i = a.indexOf(' ')
        return { name: a.slice(0, i), type: a.slice(i + 1) }
      }),
    })),
  }
}

/**
 * Which table column each column of a view passes through, read from the view's query tree as PostgREST
 * reads it (SchemaCache.hs allViewsKeyDependencies): a target entry's resorigtbl/resorigcol. The top
 * query's target list comes after any subquery's, so the last entry of a name wins.
 */
function viewColumnOrigins(action: string, byOid: Map<number, Relation>, attnames: Map<string, string>): Map<string, { table: string; column: string }> {
  const out = new Map<string, { table: string; column: string }>()
  for (const entry of action.split('{TARGETENTRY').slice(1)) {
    const name = /:resname (\S+)/.exec(entry)?.[1]?.replace(/\\(.)/g, '$1')
    const table = byOid.get(Number(/:resorigtbl (\d+)/.exec(entry)?.[1]))
    const column = attnames.get(`${/:resorigtbl (\d+)/.exec(entry)?.[1]}:${/:resorigcol (\d+)/.exec(entry)?.[1]}`)
    if (name && table && table.kind === 'table' && column && !/:resjunk true/.test(entry)) out.set(name, { table: table.name, column })
  }
  return out
}

/**
 * The foreign keys PostgREST infers through views (SchemaCache.hs addViewM2OAndO2ORels): a view that
 * passes through all of a key's columns has the key (view to table), a view passing through all the
 * referenced columns is referenced by it (table to view), and two such views are related to each other.
 */
function viewForeignKeys(keys: ForeignKey[], views: { name: string; columns: Map<string, { table: string; column: string }> }[]): ForeignKey[] {
  const through = (view: (typeof views)[number], table: string, columns: string[]) => {
    const names = columns.map((col) => [...view.columns].find(([, o]) => o.table === table && o.column === col)?.[0])
    return names.every((n): n is string => n !== undefined) ? names : null
  }
  const out: ForeignKey[] = []
  for (const fk of keys) {
    const fromViews = views.map((v) => ({ v, cols: through(v, fk.from, fk.fromColumns) })).filter((x) => x.cols !== null)
    const toViews = views.map((v) => ({ v, cols: through(v, fk.to, fk.toColumns) })).filter((x) => x.cols !== null)
    for (const f of fromViews) out.push({ ...fk, from: f.v.name, fromColumns: f.cols! })
    for (const t of toViews) out.push({ ...fk, to: t.v.name, toColumns: t.cols! })
    for (const f of fromViews) for (const t of toViews) out.push({ ...fk, from: f.v.name, fromColumns: f.cols!, to: t.v.name, toColumns: t.cols! })
  }
  return out
}

/** Parses a one-dimensional PostgreSQL text array literal such as {a,"b c"}. */
export function parsePgTextArray(literal: string): string[] {
  const s = literal.trim()
  if (s === '{}' || s === '') return []
  const out: string[] = []
  let i = 1
  while (i < s.length - 1) {
    let item = ''
    if (s[i] === '"') {
      i++
      while (s[i] !== '"') {
        if (s[i] === '\\') i++
        item += s[i++]
      }
      i++
    } else {
      while (s[i] !== ',' && i < s.length - 1) item += s[i++]
    }
    out.push(item)
    if (s[i] === ',') i++
  }
  return out
}

/** Formats values as a PostgreSQL array literal, every element quoted. */
export function toPgArrayLiteral(values: (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`
