/**
 * Supabase Storage's errors as its HTTP API renders them: the body carries the error's own status as a
 * string (`statusCode: "404"`), a `code`, a legacy `error` and a `message`, while the HTTP status itself
 * is 400 for every refusal and 500 only for internal failures (supabase/storage src/http/error-handler.ts;
 * a few refusals, like an unauthenticated role check, set their own). storage-js reads both.
 */
import { isPgError } from '../db'

export class StorageApiError extends Error {
  constructor(
    /** The status the error stands for, rendered as `statusCode` in the body. */
    readonly statusCode: number,
    readonly code: string,
    /** Storage's older, human-ish error name (`not_found`, `Duplicate`, …); defaults to the code. */
    readonly error: string,
    message: string,
    /** The HTTP status of the answer; Storage sends 400 unless it is an internal error. */
    readonly httpStatus = statusCode >= 500 ? 500 : 400,
  ) {
    super(message)
  }

  body() {
    return { statusCode: String(this.statusCode), code: this.code, error: this.error, message: this.message }
  }
}

const e = (statusCode: number, code: string, message: string, error = code) => new StorageApiError(statusCode, code, error, message)

export const errors = {
  noSuchBucket: () => e(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  noSuchKey: () => e(404, 'NoSuchKey', 'Object not found', 'not_found'),
  invalidKey: (key: string) => e(400, 'InvalidKey', `Invalid key: ${key}`),
  invalidJwt: (message: string) => e(400, 'InvalidJWT', message || 'Invalid JWT'),
  invalidSignature: (message = 'Invalid signature') => e(400, 'InvalidSignature', message),
  invalidParameter: (name: string) => e(400, 'InvalidParameter', `Invalid Parameter ${name}`),
  invalidRequest: (message: string) => e(400, 'InvalidRequest', message, 'Bad Request'),
  noContent: () => e(400, 'InvalidRequest', 'No content provided'),
  accessDenied: (message: string) => e(403, 'AccessDenied', message || 'Access denied', 'Unauthorized'),
  rls: () => e(403, 'AccessDenied', 'new row violates row-level security policy', 'Unauthorized'),
  duplicate: () => e(409, 'ResourceAlreadyExists', 'The resource already exists', 'Duplicate'),
  entityTooLarge: () => e(413, 'EntityTooLarge', 'The object exceeded the maximum allowed size', 'Payload too large'),
  invalidMimeType: (mime: string) => e(415, 'InvalidMimeType', `mime type ${mime} is not supported`, 'invalid_mime_type'),
  internal: () => e(500, 'InternalError', 'Internal server error', 'Internal'),
}

/** A database error as Storage maps it (supabase/storage src/storage/database/errors.ts). */
export function fromDatabaseError(err: unknown): StorageApiError {
  if (!isPgError(err)) throw err
  switch (err.code) {
    case '42501':
      return err.message.includes('row-level security') ? errors.rls() : errors.accessDenied(err.message)
    case '23505':
      return errors.duplicate()
    case '57014':
      return new StorageApiError(544, 'DatabaseTimeout', 'DatabaseTimeout', 'The connection to the database timed out', 544)
    case '22P02':
      return errors.invalidParameter('value')
    default:
      return new StorageApiError(500, 'DatabaseError', 'DatabaseError', `database error, code: ${err.code}`)
  }
}
