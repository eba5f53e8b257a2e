import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bigIntToBytes, bytesToBigInt, modPow } from '../../../main/pairing/bigint-math'
import { SRP_GROUP_3072 } from '../../../main/pairing/srp6a-esp'

/** Plain right-to-left square-and-multiply: slow but obviously correct, the oracle for the window code. */
function referenceModPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  let b = base % modulus
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus
    b = (b * b) % modulus
  }
  return result % modulus
}

const random = (bytes: number): bigint => bytesToBigInt(randomBytes(bytes))

describe('modPow', () => {
  it('matches square-and-multiply for random 3072-bit bases and exponents of every window width', () => {
    const { N } = SRP_GROUP_3072
    for (const bytes of [1, 2, 8, 9, 32, 33, 64, 128, 129, 384]) {
      const base = random(384) % N
      const exponent = random(bytes)
      expect(modPow(base, exponent, N), `${bytes}-byte exponent`).toBe(referenceModPow(base, exponent, N))
    }
  })

  it('handles the edges: exponent 0 and 1, base 0, negative base, modulus 1, small moduli', () => {
    expect(modPow(7n, 0n, 13n)).toBe(1n)
    expect(modPow(7n, 1n, 13n)).toBe(7n)
    expect(modPow(0n, 5n, 13n)).toBe(0n)
    expect(modPow(-2n, 3n, 13n)).toBe(5n) // (-8) mod 13
    expect(modPow(5n, 3n, 1n)).toBe(0n)
    expect(modPow(4n, 13n, 497n)).toBe(445n)
    expect(modPow(2n, (1n << 200n) + 12345n, 1_000_000_007n)).toBe(referenceModPow(2n, (1n << 200n) + 12345n, 1_000_000_007n))
  })

  it('refuses a non-positive modulus and a negative exponent (programmer errors)', () => {
    expect(() => modPow(2n, 3n, 0n)).toThrow(RangeError)
    expect(() => modPow(2n, -1n, 7n)).toThrow(RangeError)
  })
})

describe('big-endian conversion', () => {
  it('writes minimal bytes (one byte for zero) or left-pads to a width, and reads leading zeros back', () => {
    expect(Buffer.from(bigIntToBytes(0n)).toString('hex')).toBe('00')
    expect(Buffer.from(bigIntToBytes(0x1234n)).toString('hex')).toBe('1234')
    expect(Buffer.from(bigIntToBytes(0x1234n, 4)).toString('hex')).toBe('00001234')
    expect(bytesToBigInt(Uint8Array.of(0, 0, 0x12, 0x34))).toBe(0x1234n)
    expect(bytesToBigInt(new Uint8Array())).toBe(0n)
    expect(() => bigIntToBytes(0x123456n, 2)).toThrow(RangeError)
    expect(() => bigIntToBytes(-1n)).toThrow(RangeError)
  })
})
