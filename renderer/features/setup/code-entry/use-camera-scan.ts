/**
 * The camera as a QR scanner: getUserMedia (rear camera preferred, video only), a frame grabbed and decoded
 * about 8 times a second — not every animation frame, which would keep a core busy for nothing — and every
 * track stopped on success, on stop, and on unmount, so the camera light goes off.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react'
import { CAMERA_MESSAGES, cameraProblem } from './camera-errors'
import type { QrDecoder, RgbaImage } from './decode-qr'

/** Time between decoded frames. */
export const SCAN_INTERVAL_MS = 125

/** What the hook needs. */
export interface CameraScanOptions {
  /** Called with each decoded text; return true to accept it (the camera then stops). */
  onText: (text: string) => boolean
  grabFrame: (video: HTMLVideoElement) => RgbaImage | null
  decode: QrDecoder
}

/** The scanner's state and controls. */
export interface CameraScan {
  status: 'idle' | 'starting' | 'scanning'
  /** Why the camera could not start, in plain language. */
  error: string | null
  videoRef: RefObject<HTMLVideoElement | null>
  start: () => void
  stop: () => void
}

function stopTracks(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop()
}

/** Runs the camera scanner. */
export function useCameraScan(options: CameraScanOptions): CameraScan {
  const [status, setStatus] = useState<CameraScan['status']>('idle')
  const [error, setError] = useState<string | null>(null)
  const videoRef = useRef<HTMLVideoElement | null>(null)
  const stream = useRef<MediaStream | null>(null)
  // Bumped by every stop: a getUserMedia that resolves after it belongs to a cancelled start.
  const generation = useRef(0)
  const latest = useRef(options)
  useEffect(() => {
    latest.current = options
  })

  const stop = useCallback(() => {
    generation.current += 1
    stopTracks(stream.current)
    stream.current = null
    if (videoRef.current) videoRef.current.srcObject = null
    setStatus('idle')
  }, [])

  const start = useCallback(() => {
    const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices
    if (typeof devices?.getUserMedia !== 'function') return setError(CAMERA_MESSAGES.unavailable)
    const mine = ++generation.current
    setError(null)
    setStatus('starting')
    devices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(
      (media) => {
        if (mine !== generation.current) return stopTracks(media)
        stream.current = media
        setStatus('scanning')
      },
      (reason: unknown) => {
        if (mine !== generation.current) return
        setError(CAMERA_MESSAGES[cameraProblem(reason)])
        setStatus('idle')
      },
    )
  }, [])

  useEffect(() => {
    if (status !== 'scanning') return
    const video = videoRef.current
    if (video && stream.current) video.srcObject = stream.current
    // The same refused code in view frame after frame is reported once, not 8 times a second.
    let refused: string | null = null
    const timer = setInterval(() => {
      if (!video) return
      const frame = latest.current.grabFrame(video)
      const text = frame ? latest.current.decode(frame, { tryInverted: false }) : null
      if (text === null || text === refused) return
      if (latest.current.onText(text)) stop()
      else refused = text
    }, SCAN_INTERVAL_MS)
    return () => clearInterval(timer)
  }, [status, stop])

  // Unmount: release the camera even if a start is still pending.
  useEffect(
    () => () => {
      generation.current += 1
      stopTracks(stream.current)
      stream.current = null
    },
    [],
  )

  return { status, error, videoRef, start, stop }
}
