/**
 * electron-builder.yml cannot be exercised here (packaging downloads Electron), so it is validated against
 * the JSON schema electron-builder itself ships, plus the keys our platforms and security require.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import Ajv from 'ajv'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { BROWSED_SERVICE_TYPES } from '../../shared/discovery/service-types'

const root = join(import.meta.dirname, '..', '..')
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>>
const schemaPath = createRequire(join(root, 'package.json')).resolve('app-builder-lib/scheme.json')
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object

describe('electron-builder.yml', () => {
  it('is valid against app-builder-lib/scheme.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true })
    const validate = ajv.compile(schema)
    const valid = validate(config)
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
  })

  it('builds dmg + zip (hardened runtime, entitlements), nsis, AppImage + deb', () => {
    expect(config.mac?.target).toEqual(['dmg', 'zip'])
    expect(config.mac?.hardenedRuntime).toBe(true)
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    const entitlements = readFileSync(join(root, String(config.mac?.entitlements)), 'utf8')
    expect(entitlements).toContain('com.apple.security.network.client')
    expect(entitlements).toContain('com.apple.security.network.server')
    // The QR scanner needs the camera under the hardened runtime, and macOS needs the usage strings.
    expect(entitlements).toContain('com.apple.security.device.camera')
    expect(String((config.mac?.extendInfo as Record<string, unknown>).NSCameraUsageDescription)).toMatch(/QR code/)
  })

  it('declares Local Network usage and every browsed service type for macOS', () => {
    const info = config.mac?.extendInfo as Record<string, unknown>
    expect(String(info.NSLocalNetworkUsageDescription).length).toBeGreaterThan(20)
    expect([...(info.NSBonjourServices as string[])].sort()).toEqual([...BROWSED_SERVICE_TYPES].sort())
  })

  it('flips the fuses of Electron security checklist #19', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it('packages what package.json starts: main, preload and the renderer are under the packaged files', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | string>
    expect(pkg.main).toBe('dist/electron/main.cjs')
    expect(config.files).toContain('dist/**/*')
    expect((pkg.devDependencies as Record<string, string>).electron).toMatch(/^\d+\.\d+\.\d+$/)
    expect((pkg.dependencies as Record<string, string>).electron).toBeUndefined()
  })
})
