/**
 * Golden vectors of reference/provisioning-protocols.md (b) "ESP Unified Provisioning", cross-checked
 * there against esp_prov; every hex string below is copied from that list, item numbers in the names.
 */
import { expect } from 'vitest'
import type { RandomBytes } from '../../../../main/provisioning/esp/security-common'

/** Hex → bytes. */
export const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'))
/** Bytes → lower-case hex. */
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
/** Bytes 0x{start}, 0x{start+1}, … of the given length. */
export const counting = (start: number, length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => start + i)

/** A RandomBytes port that hands out the given chunks in order (cycling), checking each requested size. */
export function fixedRandom(...chunks: Uint8Array[]): RandomBytes {
  let next = 0
  return (size) => {
    const chunk = chunks[next++ % chunks.length] as Uint8Array
    expect(chunk.length, 'injected random chunk size').toBe(size)
    return chunk.slice()
  }
}

/** (b)4: SessionData{sec_ver=0, sec0{msg=S0_Session_Command, sc{}}}. */
export const SEC0_REQUEST = '5203a20100'

/** (b)6: security 1 with fixed keys. */
export const SEC1 = {
  clientPrivate: counting(0x01, 32),
  devicePrivate: counting(0x21, 32),
  pop: 'abcd1234',
  deviceRandom: counting(0xa0, 16),
  clientPub: '07a37cbc142093c8b755dc1b10e86cb426374ad16aa853ed0bdfc0b2b86d1c7c',
  devicePub: '5869aff450549732cbaaed5e5df9b30a6da31cb0e5742bad5ad4a1a768f1a67b',
  shared: 'a84dc7c3c8f058b1b2dc4cd1e9b5dc0a7987f88b6a9564cde3391fc421159e77',
  popSha256: 'e9cee71ab932fde863338d08be4de9dfe39ea049bdafb342ce659ec5450b69ae',
  key: '418320d971c2a559d1efc1d957f835d59a1958c2d73ad78f2d5c8101641ef7d9',
  clientVerify: '527d5d0604ab390e387edfb2edd69291a9f5d3bc2486b9bfaf469157071f4eee',
  deviceVerify: '2269f29d63597181e5a9ccb15dc0acde206674f74dbc91b1a0ad13a412d8403d',
  setConfigAt64: '0bc6c65d49623f81d60a6b909704cf5fdae0755c1a87b011',
  sessionCmd0Prefix: '10015a25a201220a20',
} as const

/** (b)8–11: security 2 / SRP-6a. */
export const SRP = {
  nStart: 'ffffffffffffffffc90fdaa2',
  nEnd: 'a93ad2caffffffffffffffff',
  k: 'a9c2e2559bf0ebb53f0cbbf62282906bede7f2182f00678211fbd5bde5b285033a4993503b87397f9be5ec02080fedbc0835587ad039060879b8621e8c3659e0',
  username: 'wifiprov',
  password: 'abcd1234',
  salt: '036ee0c7bcb9eda84c9eac97d93decf4',
  verifierStart: '7c7c85476508946dd636af37d7e89143',
  verifierEnd: '5040f762de36b2ba',
  a: '60975527035cf2ad1989806f0407210bc81edc04e2762a56afd529ddda2d4393',
  b: 'e487cb59d31ac550471e81f00f6928e01dda08e974a004f49e61f5d105284d20',
  sha256A: '71f46d1d2c9ec34bdc2f84272e74d959c24c07326f1e7c5313a525fcac3c2b98',
  sha256B: '032e3d36ae183f25485a64c4f82e64485aae47e755897aa508d25e9359043e5f',
  u: 'dd7eb9f99007b081cb429dfa94e46365886a357187a16cbaef0f31ba541c0f716c1d435b960bdc220c73f560c580ac6be13dbb32680b20a71fadc262ec6dd1d',
  K: '95cd5f1808f2aed827615ee47ac4f866642144a5c4dfdee681e16565d258511d03713956a2f81d006a2fe3bf101f62c726cbeb81e7d625c76902c5f08638861e',
  M: 'd83e1d6a83d445b628891bcb485eec8886c3af373d1e0dcd08175105d58046e36435098d275430c080fcff8f5771e4712e9c8eabdf1769330972c91e76c1000c',
  hamk: 'bc8ebbd519a3aa328bc42eac533634d09e275709e0bfaaf6207aec26affa18fd0f7cbbee1d6dacf04b89995fcd70c773656927fb9dfe8e87cd80c8f4983771c6',
  hapStyleMStart: 'ca42bce3bf9eb199b154ddd242fead50',
  /** (b)11: b of item 10 + 63 gives a 383-byte S. */
  bShortS: 'e487cb59d31ac550471e81f00f6928e01dda08e974a004f49e61f5d105284d5f',
  kShortS: '495a3109b6f1ac0b850f7d49fedfed302016b5fc477dfca781bf35def96a21cd879a5d3427ce9fa19259742d6f357aa35a79a776a80a0f292fe13f036af574be',
  kShortSPadded: '939a538245d3677c',
  sha256BShortS: '6a4b850aa22d25817be2f33f2b5d70f9a148a28b04ed1395104d3b77432bc7ee',
} as const

/** (b)12: AES-GCM with sec_patch_ver 1. */
export const GCM = {
  sessionId: '0011223344556677',
  nonce: '001122334455667700000001',
  nonceAfter: '001122334455667700000002',
  setConfigCtTag: '30842120c7e750696910a54181f3679c4bb9840abc3225c7dfa00a0f804fd0454a84ff10ac3f6eec',
} as const

/** (b)14: Wi-Fi config plaintexts. */
export const WIFI = {
  setConfig: '080262140a066d7973736964120a6d7970617373776f7264',
  getStatus: '5200',
  applyConfig: '08047200',
} as const

