/**
 * Calls one of our edge functions with the signed-in person's token (supabase-js adds it, and the fetch
 * layer renews it once on a 401) and turns a failure into an AppError with the function's Chinese message.
 */
import { FunctionsFetchError, FunctionsHttpError } from '@supabase/functions-js'
import { functionError, toAppError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

async function readBody(response: Response): Promise<unknown> {
  try {
    const text = await response.text()
    try {
      return JSON.parse(text) as unknown
    } catch {
      return text
    }
  } catch {
    return null
  }
}

export async function invokeFunction<T>(name: string, body: Record<string, unknown>, client: AppSupabaseClient = getSupabase()): Promise<T> {
  const { data, error } = await client.functions.invoke<T>(name, { body })
  if (error) {
    if (error instanceof FunctionsHttpError) {
      const response = error.context as Response
      throw functionError(response.status, await readBody(response))
    }
    if (error instanceof FunctionsFetchError) throw toAppError(new TypeError(String(error.context ?? error.message)))
    throw toAppError(error)
  }
  return data as T
}
