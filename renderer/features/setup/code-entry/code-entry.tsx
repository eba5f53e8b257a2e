/**
 * Setup code entry (issue #5): scan the accessory's QR code with the camera, choose or paste an image of
 * it, paste its payload, or type the printed code. What was read is shown by `describeSetupCode` — never
 * the secret — and a code made for another accessory than the expected one is flagged before it is used.
 */
import { useEffect, useMemo, useState, type ClipboardEvent } from 'react'
import { describeSetupCode, looksLikeSetupPayload, parseSetupPayload } from '../../../../shared/pairing/setup-code'
import type { SetupCodeInput } from '../../../../shared/provisioning/view'
import { createCodeEntryIo, readStill, type CodeEntryIoOverrides } from './code-entry-io'
import { ManualCodeForm } from './manual-code-form'
import { useCameraScan } from './use-camera-scan'
import './code-entry.css'

/** Props of CodeEntry. */
export interface CodeEntryProps {
  /** Called with a valid code the user chose to use. */
  onCode: (code: SetupCodeInput) => void
  /** The accessory being set up (its setup network name): a QR code for another one is flagged. */
  expectedName?: string | undefined
  disabled?: boolean
  /** Replaces the QR decoder, image rasterizer or frame grabber (tests). */
  io?: CodeEntryIoOverrides
}

const CLIPBOARD_FAILED = 'Porchlight could not read the clipboard. Click in this area and press Ctrl+V (⌘V on a Mac) to paste instead.'
const CLIPBOARD_EMPTY = 'The clipboard holds no QR code image or setup code. Copy the image or the code first, then paste again.'

function canReadClipboard(): boolean {
  return typeof navigator !== 'undefined' && (typeof navigator.clipboard?.read === 'function' || typeof navigator.clipboard?.readText === 'function')
}

/** Renders the ways to enter a setup code. */
export function CodeEntry({ onCode, expectedName, disabled = false, io: overrides }: CodeEntryProps) {
  // The overrides are fixed for the component's life (tests pass them once).
  const [io] = useState(() => createCodeEntryIo(overrides))
  const [mismatch, setMismatch] = useState<SetupCodeInput | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [status, setStatus] = useState('')
  const camera = useCameraScan({ onText: readPayload, grabFrame: io.grabFrame, decode: io.decode })
  const clipboardButton = useMemo(canReadClipboard, [])

  const { stop: stopCamera } = camera
  useEffect(() => {
    if (disabled) stopCamera()
  }, [disabled, stopCamera])

  function handOver(code: SetupCodeInput): void {
    setMismatch(null)
    setStatus(`Read: ${describeSetupCode(code)}.`)
    onCode(code)
  }

  function accept(code: SetupCodeInput): void {
    camera.stop()
    setProblem(null)
    if (expectedName !== undefined && code.serviceName !== undefined && code.serviceName !== expectedName) {
      setStatus('')
      setMismatch(code)
      return
    }
    handOver(code)
  }

  function readPayload(text: string): boolean {
    const parsed = parseSetupPayload(text)
    if (!parsed.ok) {
      setProblem(parsed.error.message)
      return false
    }
    accept(parsed.value)
    return true
  }

  async function readImage(blob: Blob): Promise<void> {
    setProblem(null)
    setStatus('Reading the image…')
    const read = await readStill(blob, io)
    setStatus('')
    if (read.ok) readPayload(read.text)
    else setProblem(read.message)
  }

  function onPaste(event: ClipboardEvent<HTMLDivElement>): void {
    if (disabled) return
    const data = event.clipboardData
    const image = Array.from(data.files).find((f) => f.type.startsWith('image/'))
    if (image) {
      event.preventDefault()
      void readImage(image)
      return
    }
    const text = data.getData('text/plain')
    const intoField = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement
    // A code pasted into the code field is typed text; a whole QR payload is read wherever it lands.
    if (intoField && !looksLikeSetupPayload(text)) return
    event.preventDefault()
    readPayload(text)
  }

  async function pasteFromClipboard(): Promise<void> {
    setProblem(null)
    try {
      const clipboard = navigator.clipboard
      if (typeof clipboard.read !== 'function') {
        readPayload(await clipboard.readText())
        return
      }
      const items = await clipboard.read()
      const imageItem = items.find((item) => item.types.some((t) => t.startsWith('image/')))
      const imageType = imageItem?.types.find((t) => t.startsWith('image/'))
      if (imageItem && imageType) return await readImage(await imageItem.getType(imageType))
      const textItem = items.find((item) => item.types.includes('text/plain'))
      if (!textItem) return setProblem(CLIPBOARD_EMPTY)
      readPayload(await (await textItem.getType('text/plain')).text())
    } catch {
      setProblem(CLIPBOARD_FAILED)
    }
  }

  const scanning = camera.status !== 'idle'
  return (
    <div className="code-entry" tabIndex={-1} onPaste={onPaste}>
      <section className="code-entry-scan" aria-label="Scan the QR code">
        <h3>Scan the QR code</h3>
        <p className="muted small">Hold the accessory’s QR code up to the camera, choose a photo of it, or paste one here (Ctrl+V, ⌘V on a Mac).</p>
        <div className="code-entry-actions">
          {scanning ? (
            <button type="button" onClick={camera.stop}>Stop camera</button>
          ) : (
            <button type="button" disabled={disabled} onClick={camera.start}>Scan with camera</button>
          )}
          <label className={`code-entry-file${disabled ? ' is-disabled' : ''}`}>
            Choose an image…
            <input
              type="file"
              accept="image/*"
              disabled={disabled}
              onChange={(e) => {
                const file = e.target.files?.[0]
                e.target.value = ''
                if (file) void readImage(file)
              }}
            />
          </label>
          {clipboardButton ? <button type="button" disabled={disabled} onClick={() => void pasteFromClipboard()}>Paste from clipboard</button> : null}
        </div>
        {scanning ? <video ref={camera.videoRef} className="code-entry-video" aria-label="Camera preview" autoPlay muted playsInline /> : null}
        {camera.status === 'starting' ? <p className="muted small">Starting the camera…</p> : null}
        {camera.error ? <p className="error-text" role="alert">{camera.error}</p> : null}
      </section>
      <ManualCodeForm onCode={accept} disabled={disabled} />
      {mismatch ? (
        <div className="code-entry-warning" role="alert">
          <p>This code is for {mismatch.serviceName}, not {expectedName}. Check that you scanned the right accessory.</p>
          <button type="button" disabled={disabled} onClick={() => handOver(mismatch)}>Use it anyway</button>
          <button type="button" onClick={() => setMismatch(null)}>Try another code</button>
        </div>
      ) : null}
      {problem ? <p className="error-text code-entry-problem" role="alert">{problem}</p> : null}
      <p className="code-entry-status" role="status">{status}</p>
    </div>
  )
}
