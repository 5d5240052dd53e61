import { useEffect, useState } from 'react'
import { recordPostRead } from './record-read'

/** Posts this app session already counted for a person: the page opening twice asks the database once. */
const counted = new Map<string, number>()

/**
 * Counts the signed-in person's read of a post once (the database counts each person once per post
 * anyway) and gives the post's read count as the database answered it; null until then. A failure is
 * not the reader's business: the page shows the count it loaded.
 */
export function useRecordRead(postId: string | null, userId: string | null, visible: boolean): number | null {
  const key = postId && userId ? `${userId}:${postId}` : null
  const [count, setCount] = useState<number | null>(key ? (counted.get(key) ?? null) : null)
  useEffect(() => {
    if (!key || !postId || !visible || counted.has(key)) return
    counted.set(key, -1)
    let live = true
    recordPostRead(postId)
      .then((value) => {
        counted.set(key, value)
        if (live) setCount(value)
      })
      .catch(() => counted.delete(key))
    return () => {
      live = false
    }
  }, [key, postId, visible])
  return count !== null && count >= 0 ? count : null
}
