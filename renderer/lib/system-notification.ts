/**
 * System notifications through the web Notification API (Electron maps it to the OS notification centre).
 * Only shown when the user has already granted permission: Porchlight never asks on its own, because a
 * permission prompt the user did not ask for is noise (and Chromium may block it without a gesture).
 */

/** What a system notification says; `tag` lets a newer notice about the same session replace the old one. */
export interface SystemNotice {
  title: string
  body: string
  tag: string
}

/** Shows a notice if the API exists and permission is granted; returns whether it was shown. Never throws. */
export function showSystemNotification(notice: SystemNotice): boolean {
  const Api = (globalThis as { Notification?: typeof Notification }).Notification
  if (typeof Api !== 'function' || Api.permission !== 'granted') return false
  try {
    new Api(notice.title, { body: notice.body, tag: notice.tag })
    return true
  } catch {
    // Some Chromium builds (Android, some kiosk modes) allow only service-worker notifications and throw here.
    return false
  }
}
