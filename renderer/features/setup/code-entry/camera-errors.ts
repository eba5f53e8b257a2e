/**
 * What to tell someone when the camera does not start, by the DOMException name getUserMedia rejects with
 * (https://w3c.github.io/mediacapture-main/#dom-mediadevices-getusermedia), plus the legacy Chrome names.
 */

/** The reasons a camera can fail, as the UI distinguishes them. */
export type CameraProblem = 'denied' | 'no-camera' | 'in-use' | 'unavailable' | 'failed'

/** Plain-language message for each problem: what happened and what to do instead. */
export const CAMERA_MESSAGES: Record<CameraProblem, string> = {
  denied:
    'Porchlight is not allowed to use the camera. Allow camera access for Porchlight (macOS: System Settings › Privacy & Security › Camera; Windows: Settings › Privacy & security › Camera; in a browser: the camera icon in the address bar), then try again — or choose a photo of the QR code instead.',
  'no-camera': 'No camera was found. Take a photo of the QR code (with your phone, for example) and use “Choose an image”, or type the code printed next to it.',
  'in-use': 'The camera is in use by another app, or could not start. Close the other app (video calls often hold the camera), then try again.',
  unavailable: 'This window cannot use a camera. Choose a photo of the QR code, paste it, or type the code printed next to it.',
  failed: 'The camera could not start. Try again, or choose a photo of the QR code instead.',
}

/** Classifies a getUserMedia rejection. */
export function cameraProblem(error: unknown): CameraProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : ''
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied'
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'no-camera'
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use'
    default:
      return 'failed'
  }
}
