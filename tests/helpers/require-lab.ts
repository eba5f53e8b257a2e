/**
 * CI sets PORCHLIGHT_REQUIRE_LAB=1: there, a lab test that would skip (no root, no `ip netns`, a peer
 * missing) is a failure instead, so a green run can never mean "the lab suite did not run".
 */

/** Passes `reason` through for a skip, or throws when the lab is required. */
export function skipReasonOrFail(reason: string | undefined): string | undefined {
  if (reason !== undefined && process.env.PORCHLIGHT_REQUIRE_LAB === '1') {
    throw new Error(`the lab is required here (PORCHLIGHT_REQUIRE_LAB=1) but unavailable: ${reason}`)
  }
  return reason
}
