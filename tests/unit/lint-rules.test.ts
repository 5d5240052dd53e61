/**
 * The layer rules in eslint.config.mjs, run through ESLint's Node API with the project's own
 * configuration on small pieces of code placed at paths in src/. Each rule has a test showing it fails
 * on the code it exists to stop, and one showing it leaves the allowed code alone: a rule that cannot
 * fail proves nothing.
 */
import path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '..', '..')
const eslint = new ESLint({ cwd: root })

/** The rule ids and messages ESLint reports for `code` as if it were the file at `file`. */
async function lint(file: string, code: string): Promise<{ rule: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return result.messages.map((m) => ({ rule: m.ruleId, message: m.message }))
}

const WEB_GLOBALS = [
  'fetch',
  'URL',
  'URLSearchParams',
  'localStorage',
  'window',
  'document',
  'Headers',
  'Request',
  'Response',
  'AbortController',
  'TextEncoder',
  'WebSocket',
]

describe('pages and components never import the Supabase client', () => {
  const CLIENT = 'import { getSupabase } from %s\nexport const client = getSupabase()\n'

  it.each([
    ['a page, by relative path', 'src/pages/home/index.tsx', "'../../services/supabase/client'"],
    ['a page, by the @ alias', 'src/pages/home/index.tsx', "'@/services/supabase/client'"],
    ['a subpackage page', 'src/subpackages/admin/pages/people/index.tsx', "'../../../../services/supabase/client'"],
    ['a component', 'src/components/post-item/index.tsx', "'../../services/supabase/client'"],
  ])('%s importing it is an error', async (_, file, from) => {
    expect(await lint(file, CLIENT.replace('%s', from))).toEqual([
      {
        rule: '@typescript-eslint/no-restricted-imports',
        message: expect.stringContaining('never the Supabase client'),
      },
    ])
  })

  it('the rest of the platform layer behind the client is out of bounds too', async () => {
    const found = await lint('src/pages/me/index.tsx', "import { getPlatformFetch } from '../../services/supabase/platform-fetch'\nexport const f = getPlatformFetch\n")
    expect(found.map((m) => m.rule)).toEqual(['@typescript-eslint/no-restricted-imports'])
  })

  it('a page may use a domain hook and the generated database types', async () => {
    const code =
      "import type { Tables } from '../../services/supabase/database.types'\n" +
      "import { useFeed } from '../../services/posts/use-feed'\n" +
      'export type Post = Tables<"posts">\nexport const hook = useFeed\n'
    expect(await lint('src/pages/home/index.tsx', code)).toEqual([])
  })

  it('the data layer may import the client', async () => {
    expect(await lint('src/services/posts/posts-query.ts', CLIENT.replace('%s', "'../supabase/client'"))).toEqual([])
  })
})

describe('the app uses no web global the mini-program lacks, outside the platform layer', () => {
  it.each(WEB_GLOBALS)('%s in a service is an error', async (name) => {
    expect(await lint('src/services/posts/x.ts', `export const it = ${name}\n`)).toEqual([
      { rule: 'no-restricted-globals', message: expect.stringContaining(`The mini-program has no ${name}`) },
    ])
  })

  it('fetch in a page is an error', async () => {
    const found = await lint('src/pages/home/index.tsx', "export const load = () => fetch('/x')\n")
    expect(found.map((m) => m.rule)).toEqual(['no-restricted-globals'])
  })

  it.each([
    ['globalThis.fetch', "export const load = () => globalThis.fetch('/x')\n"],
    ['window.localStorage', "export const read = () => window.localStorage.getItem('x')\n"],
    ['globalThis.URLSearchParams', "export const q = new globalThis.URLSearchParams('a=1')\n"],
  ])('%s is an error too', async (_, code) => {
    const found = await lint('src/services/posts/x.ts', code)
    expect(found.map((m) => m.rule)).toContain('no-restricted-properties')
  })

  it('the platform layer may use them', async () => {
    const code = "export const load = () => globalThis.fetch(new URL('/x', 'http://h').toString())\nexport const h = new Headers()\n"
    expect(await lint('src/services/supabase/platform-fetch.ts', code)).toEqual([])
    expect(await lint('src/services/platform/root-class.ts', 'export const root = () => document.documentElement\n')).toEqual([])
  })

  it('a fetch passed in as an argument and Response as a type are fine', async () => {
    const code =
      'export async function load({ fetch }: { fetch: typeof globalThis.fetch }): Promise<number> {\n' +
      "  const r: Response = await fetch('/x')\n  return r.status\n}\n"
    expect(await lint('src/services/auth/x.ts', code)).toEqual([])
  })
})
