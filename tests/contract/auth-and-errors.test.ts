/**
 * /rest/v1 authentication (API key, bearer tokens) and PostgREST's error answers: the status for each
 * PostgreSQL error class and PostgREST's own PGRST codes, in the {code, details, hint, message} shape.
 */
import { randomUUID } from 'node:crypto'
import { SignJWT, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, people, serviceClient, type Client } from '../support/clients'
import { expectPostgrestError, posts, rest } from './helpers'

let be: TestBackend
let anon: Client
let worker1: Client
let butler1: Client
beforeAll(async () => {
  be = await startTestBackend()
  anon = clientFor(be)
  worker1 = await clientAs(be, 'worker1')
  butler1 = await clientAs(be, 'butler1')
})
afterAll(async () => {
  await be?.close()
})

describe('API key', () => {
  it('a request without an API key or token is refused (401)', async () => {
    const res = await rest(be, '/posts?select=id', { apikey: null })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ message: 'No API key found in request' })
  })

  it('a user token without an API key is refused, as by the Supabase gateway (401)', async () => {
    const token = await be.signToken({ sub: people.worker1 })
    const res = await rest(be, '/posts?select=id', { apikey: null, token })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ message: 'No API key found in request' })
  })

  it('the API key may be given as the apikey query parameter', async () => {
    const res = await rest(be, `/posts?select=id&apikey=${encodeURIComponent(be.anonKey)}`, { apikey: null })
    expect(res.status).toBe(200)
    expect(await res.json()).toHaveLength(6)
  })

  it('an API key that is not one of the project keys is refused (401)', async () => {
    const token = await be.signToken({ sub: people.worker1 })
    const res = await rest(be, '/posts?select=id', { apikey: 'not-a-project-key', token })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ message: 'Invalid API key' })
  })

  it('the anon key alone reads as anonymous', async () => {
    const res = await rest(be, '/posts?select=id')
    expect(res.status).toBe(200)
    expect(await res.json()).toHaveLength(6)
  })

  it('the service role key bypasses RLS', async () => {
    const { data, error } = await serviceClient(be).from('posts').select('id')
    expect(error).toBeNull()
    expect(data).toHaveLength(16) // every seeded post: drafts, scheduled, archived and every region
  })
})

describe('bearer tokens', () => {
  it('a token signed by another ES256 key is refused (401 PGRST301)', async () => {
    const other = await generateKeyPair('ES256')
    const token = await new SignJWT({ sub: people.worker1, role: 'authenticated' })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'someone-else' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(other.privateKey)
    const res = await clientFor(be, token).from('posts').select('id')
    expectPostgrestError(res, 401, 'PGRST301', 'No suitable key or wrong key type')
  })

  it('an expired token is refused (401 PGRST303)', async () => {
    const token = await be.signToken({ sub: people.worker1, exp: Math.floor(Date.now() / 1000) - 120 })
    const res = await clientFor(be, token).from('posts').select('id')
    expectPostgrestError(res, 401, 'PGRST303', 'JWT expired')
  })

  it('a token expired less than 30 seconds ago is still accepted (clock skew)', async () => {
    const token = await be.signToken({ sub: people.worker1, exp: Math.floor(Date.now() / 1000) - 5 })
    const { error, status } = await clientFor(be, token).from('posts').select('id')
    expect(error).toBeNull()
    expect(status).toBe(200)
  })

  it('a token that is not a JWT is refused (401 PGRST301)', async () => {
    const res = await clientFor(be, 'not-a-jwt').from('posts').select('id')
    expectPostgrestError(res, 401, 'PGRST301', 'Expected 3 parts in JWT; got 1')
  })

  it('a token signed with a shared secret (HS256) is refused (401 PGRST301)', async () => {
    const token = await new SignJWT({ sub: people.worker1, role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'))
    const res = await clientFor(be, token).from('posts').select('id')
    expect(res.status).toBe(401)
    expect(res.error).toMatchObject({ code: 'PGRST301' })
  })

  it('an Authorization header without a token is refused (401 PGRST301)', async () => {
    const res = await rest(be, '/posts?select=id', { headers: { Authorization: 'Bearer' } })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ code: 'PGRST301', details: null, hint: null, message: 'Empty JWT is sent in Authorization header' })
  })

  it('a refused token is answered with WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const res = await rest(be, '/posts?select=id', { token: 'not-a-jwt' })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="Expected 3 parts in JWT; got 1"')
  })

  it('a valid user token reads as that person', async () => {
    const { data, error } = await worker1.from('profiles').select('id, display_name')
    expect(error).toBeNull()
    // A worker sees their own profile and the names of people who published.
    expect(data!.map((p) => p.id)).toContain(people.worker1)
    expect(data!.map((p) => p.id)).not.toContain(people.worker2)
  })
})

describe('PostgreSQL errors', () => {
  it('bookmarking the same post twice is a unique violation (409 23505)', async () => {
    const first = await worker1.from('post_bookmarks').insert({ post_id: posts.loan })
    expect(first.error).toBeNull()
    const res = await worker1.from('post_bookmarks').insert({ post_id: posts.loan })
    expectPostgrestError(res, 409, '23505', 'duplicate key value violates unique constraint "post_bookmarks_pkey"')
    // PostgreSQL keeps the key's values out of the details of a table under RLS.
    expect(res.error!.details).toBeNull()
  })

  it('bookmarking a post that does not exist is a foreign-key violation (409 23503)', async () => {
    // As the service role: for a person, the insert policy refuses an unknown post first (403 42501).
    const missing = randomUUID()
    const res = await serviceClient(be).from('post_bookmarks').insert({ user_id: people.worker1, post_id: missing })
    expectPostgrestError(res, 409, '23503', 'insert or update on table "post_bookmarks" violates foreign key constraint "post_bookmarks_post_id_fkey"')
    // The service role may read the key, so PostgreSQL names it (for roles that may not, it says only "Key is not present").
    expect(res.error!.details).toBe(`Key (post_id)=(${missing}) is not present in table "posts".`)
  })

  it('a blank title is a check violation (400 23514)', async () => {
    const res = await butler1.from('posts').insert({ kind: 'notice', title: '   ' })
    expectPostgrestError(res, 400, '23514', 'new row for relation "posts" violates check constraint "posts_title_check"')
  })

  it('a missing required column is a not-null violation (400 23502)', async () => {
    const res = await butler1.from('posts').insert({ title: '没有类型' } as never)
    expectPostgrestError(res, 400, '23502', 'null value in column "kind" of relation "posts" violates not-null constraint')
  })

  it('a worker writing a post is refused by RLS (403 42501)', async () => {
    const res = await worker1.from('posts').insert({ kind: 'notice', title: '工人发帖' })
    expectPostgrestError(res, 403, '42501', 'new row violates row-level security policy for table "posts"')
  })

  it('a butler writing a post in another person\'s name is refused by RLS (403 42501)', async () => {
    const res = await butler1.from('posts').insert({ kind: 'notice', title: '冒名', author_id: people.admin })
    expectPostgrestError(res, 403, '42501', 'new row violates row-level security policy for table "posts"')
  })

  it('anonymous writing a post is refused (401 42501)', async () => {
    const res = await anon.from('posts').insert({ kind: 'notice', title: '匿名发帖' })
    expectPostgrestError(res, 401, '42501', 'permission denied for table posts')
  })

  it('an anonymous 42501 is answered with WWW-Authenticate: Bearer', async () => {
    const res = await rest(be, '/posts', { method: 'POST', body: { kind: 'notice', title: '匿名' } })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('anonymous reading a column it has no grant on is refused (401 42501)', async () => {
    const res = await anon.from('profiles').select('id, role')
    expectPostgrestError(res, 401, '42501', 'permission denied for table profiles')
  })
})

describe('PostgREST errors', () => {
  it('an unknown table is not found (404 PGRST205)', async () => {
    const res = await anon.from('nope' as 'posts').select('*')
    expectPostgrestError(res, 404, 'PGRST205', "Could not find the table 'public.nope' in the schema cache")
  })

  it('an unknown function is not found (404 PGRST202)', async () => {
    const res = await anon.rpc('nope' as 'search_posts', { query: '' })
    expectPostgrestError(res, 404, 'PGRST202', 'Could not find the function public.nope(query) in the schema cache')
  })

  it('a schema other than public is refused (406 PGRST106)', async () => {
    const res = await (anon.schema('private' as 'public') as unknown as Client).from('posts').select('id')
    expectPostgrestError(res, 406, 'PGRST106', 'Invalid schema: private')
    // Supabase lists its exposed schemas in the hint (public, graphql_public by default).
    expect(res.error!.hint).toMatch(/^Only the following schemas are exposed: public/)
  })

  it('an unknown preference is ignored', async () => {
    const res = await rest(be, '/posts?select=id', { headers: { Prefer: 'nonsense=yes' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toHaveLength(6)
  })

  it('an unknown preference with handling=strict is refused (400 PGRST122)', async () => {
    const res = await rest(be, '/posts?select=id', { headers: { Prefer: 'handling=strict, nonsense=yes' } })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      code: 'PGRST122',
      details: 'Invalid preferences: nonsense=yes',
      hint: null,
      message: 'Invalid preferences given with handling=strict',
    })
  })

  it('applied preferences are echoed in Preference-Applied', async () => {
    const res = await rest(be, '/posts?select=id', { headers: { Prefer: 'count=exact' } })
    expect(res.headers.get('preference-applied')).toBe('count=exact')
  })

  it('a media type it cannot produce is refused (406 PGRST107)', async () => {
    const res = await rest(be, '/posts?select=id', { headers: { Accept: 'application/xml' } })
    expect(res.status).toBe(406)
    expect(await res.json()).toMatchObject({ code: 'PGRST107', message: 'None of these media types are available: application/xml' })
  })

  it('errors are JSON with the four PostgREST keys', async () => {
    const res = await rest(be, '/nope')
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(Object.keys(await res.json()).sort()).toEqual(['code', 'details', 'hint', 'message'])
  })
})
