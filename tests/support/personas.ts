/**
 * The people every security test speaks for, as supabase-js clients against the local backend:
 *
 *   anon     no token, the anon key only (someone who opened the mini-program without signing in)
 *   workerA  worker1, a displaced worker who has not finished onboarding
 *   workerB  worker2, another worker, onboarded
 *   butlerX  butler1, the butler (创业管家) of group X
 *   butlerY  butler2, the butler of group Y
 *   admin    the street service centre's administrator
 *   service  the service role (edge functions acting for the system)
 *
 * Groups (supabase/seed.sql, `groups` below): group X (兴隆路街道创业群, code XL2026) has butlerX and
 * butlerY as butlers and workerB as a member; group Y (辽源路街道创业群, code LY2026) has butlerY alone,
 * so it is "another group" for workerB and butlerX. workerA is in no group (the journey joins X with
 * the code). This file is the one place later issues extend (new personas, group ids, memberships);
 * tests should name personas and groups, never seeded uuids.
 */
import type { TestBackend } from './backend'
import { clientFor, people, serviceClient, type Client } from './clients'

/** The seeded groups: X (workerB, butlerX, butlerY) and Y (butlerY only). */
export const groups = {
  X: '20000000-0000-4000-8000-000000000001',
  Y: '20000000-0000-4000-8000-000000000002',
} as const

/** Personas that are a signed-in person, with the seeded demo person each one is. */
export const personPersonas = {
  workerA: 'worker1',
  workerB: 'worker2',
  butlerX: 'butler1',
  butlerY: 'butler2',
  admin: 'admin',
} as const satisfies Record<string, keyof typeof people>

export type PersonPersona = keyof typeof personPersonas
export type PersonaName = 'anon' | PersonPersona | 'service'

/** Every persona, in the order matrices list them. */
export const personaNames = ['anon', 'workerA', 'workerB', 'butlerX', 'butlerY', 'admin', 'service'] as const satisfies readonly PersonaName[]

/** User ids of the personas that are people. */
export const personaIds: Record<PersonPersona, string> = {
  workerA: people[personPersonas.workerA],
  workerB: people[personPersonas.workerB],
  butlerX: people[personPersonas.butlerX],
  butlerY: people[personPersonas.butlerY],
  admin: people[personPersonas.admin],
}

export type Personas = Record<PersonaName, Client> & {
  /** User ids: `p.ids.workerA` is the `sub` of workerA's token and the id of their profile. */
  ids: Record<PersonPersona, string>
  /**
   * A new client for the persona with a freshly signed token, e.g. after an admin changed their role
   * (the role is read from the database on every request, but a real app would sign in again).
   */
  fresh(name: PersonaName): Promise<Client>
}

export async function signedClient(be: TestBackend, name: PersonaName): Promise<Client> {
  if (name === 'anon') return clientFor(be)
  if (name === 'service') return serviceClient(be)
  return clientFor(be, await be.signToken({ sub: personaIds[name] }))
}

/** `const p = await personas(be)` → `p.anon`, `p.workerA`, …, `p.service`, `p.ids.workerA`. */
export async function personas(be: TestBackend): Promise<Personas> {
  const entries = await Promise.all(personaNames.map(async (n) => [n, await signedClient(be, n)] as const))
  return {
    ...(Object.fromEntries(entries) as Record<PersonaName, Client>),
    ids: { ...personaIds },
    fresh: (name) => signedClient(be, name),
  }
}
