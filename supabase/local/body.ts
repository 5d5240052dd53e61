/**
 * Reading a request body within a limit, for every route of the local backend (REST, functions,
 * Storage): one place decides what happens past the limit and when the client goes away.
 */
import type http from 'node:http'

/** Bytes of an oversized body read and thrown away before the connection is cut. */
const MAX_DISCARD_BYTES = 64 * 1024 * 1024

/** What reading a request body gave: the bytes, `'over'` past the limit, or `'aborted'` (client gone). */
export type BodyRead = Buffer | 'over' | 'aborted'

/**
 * Reads a request body of at most `limit` bytes. Past the limit nothing more is kept: the rest is read
 * and dropped (so the client sees the 413 rather than a reset), up to MAX_DISCARD_BYTES, after which
 * the socket is cut. A client that goes away mid-body is `'aborted'`, never an exception: one broken
 * request must not take the backend down.
 */
export async function readBody(req: http.IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length'] ?? 0)
  const chunks: Buffer[] = []
  let size = 0
  let over = declared > limit
  try {
    for await (const c of req) {
      size += (c as Buffer).length
      if (size > limit) over = true
      if (over) {
        chunks.length = 0
        if (size > limit + MAX_DISCARD_BYTES) {
          req.destroy()
          break
        }
      } else chunks.push(c as Buffer)
    }
  } catch {
    return 'aborted'
  }
  if (req.readableAborted) return 'aborted'
  return over ? 'over' : Buffer.concat(chunks)
}

