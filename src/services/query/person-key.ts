/**
 * Every query key starts with whom it belongs to, so the same page asked by two people never shares an
 * entry, and a page still showing after a sign-out or account switch moves to an empty entry at once
 * instead of showing the previous person's data until its next fetch.
 */
import type { QueryKey } from '@tanstack/react-query'

/** The signed-in person's id; 'anonymous' while nobody is signed in. */
export type PersonScope = string

export const ANONYMOUS: PersonScope = 'anonymous'

export function personKey(person: PersonScope, key: QueryKey): QueryKey {
  return ['person', person, ...key]
}
