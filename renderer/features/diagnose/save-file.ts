/**
 * Saving a file the host made (the support bundle) from the renderer: a Blob URL on an `<a download>`,
 * clicked once. No CSP directive governs downloads (`navigate-to` was never shipped), so the policy in
 * shared/csp.ts needs no change for this; the Blob URL is same-origin and revoked shortly after.
 */

/** How long a Blob URL stays valid after its click: some browsers read the blob after click() returns. */
export const REVOKE_AFTER_MS = 60_000

/**
 * HTML is handed over as an opaque byte stream: were the `download` attribute ever ignored, the browser would
 * save it rather than render the host's report inside this page's origin.
 */
export const BUNDLE_TYPES = { json: 'application/json', html: 'application/octet-stream' } as const

/** Hands `text` to the browser to save under `name`. */
export function saveTextFile(name: string, text: string, type: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = doc.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  link.hidden = true
  doc.body.append(link)
  try {
    link.click()
  } finally {
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS)
  }
}
