/** A clock for components that show time remaining: re-renders every `intervalMs` while mounted. */
import { useEffect, useState } from 'react'

/** Returns Date.now(), refreshed every `intervalMs` (1 s by default) until unmount; `enabled` false stops it. */
export function useNow(intervalMs = 1000, enabled = true): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!enabled) return undefined
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs, enabled])
  return now
}
