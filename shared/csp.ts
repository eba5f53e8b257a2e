/**
 * The Content-Security-Policy, in one place (Electron security checklist #7).
 *
 * The renderer build carries the base policy as a meta tag; each host also sends it as a header. Both are
 * enforced, so the effective policy is the stricter of the two: Electron's header closes `connect-src`
 * entirely (the renderer does no networking there), the web host's allows only its own WebSocket.
 */

/** Which host's variant of the policy. */
export type CspHost = 'meta' | 'electron' | 'web'

const BASE: Record<string, string> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data: blob:",
  'font-src': "'self'",
  'media-src': "'self' blob:",
  'connect-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'object-src': "'none'",
  'frame-src': "'none'",
  'worker-src': "'none'",
  'manifest-src': "'none'",
}

/** The policy string for a host. `frame-ancestors` is only honoured in a header, so the meta omits it. */
export function contentSecurityPolicy(host: CspHost): string {
  const directives = { ...BASE }
  if (host === 'electron') directives['connect-src'] = "'none'"
  if (host !== 'meta') directives['frame-ancestors'] = "'none'"
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ')
}
