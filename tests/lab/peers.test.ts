/**
 * The reference peers: avahi-browse output parsing and service files (pure), then both peers on a real
 * br-home — static and dynamic avahi services with awkward names and TXT, renames on conflict, and
 * python-zeroconf goodbyes that avahi honours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAvahiBrowse, parseAvahiTxt } from './peers/avahi-parse'
import { serviceXml } from './peers/avahi'
import { createLab, labUnavailableReason, type Lab } from './topology'

describe('avahi-browse -p parsing (pure)', () => {
  it('reads resolved lines, unescapes names, puts TXT back in wire order, and skips the rest', () => {
    const out = [
      '+;eth0;IPv4;My\\032Lamp\\.v2;_plxtest._tcp;local',
      '=;eth0;IPv4;My\\032Lamp\\.v2;_plxtest._tcp;local;lamp.local;198.18.0.3;80;"path=/x;y" "a=1"',
      '=;eth0;IPv6;bj-A;_demo._tcp;local;feas-a-bj.local;fe80::1;4321;',
      'garbage',
    ].join('\n')
    expect(parseAvahiBrowse(out)).toEqual([
      { interface: 'eth0', protocol: 'IPv4', name: 'My Lamp.v2', type: '_plxtest._tcp', domain: 'local', host: 'lamp.local', address: '198.18.0.3', port: 80,
        txt: ['a=1', 'path=/x;y'] },
      { interface: 'eth0', protocol: 'IPv6', name: 'bj-A', type: '_demo._tcp', domain: 'local', host: 'feas-a-bj.local', address: 'fe80::1', port: 4321, txt: [] },
    ])
  })

  it('splits TXT with escaped quotes, backslashes and UTF-8 bytes', () => {
    expect(parseAvahiTxt('"q=say \\"hi\\"" "b=back\\\\slash" "u=\\195\\169t\\195\\169" "flag"')).toEqual(['q=say "hi"', 'b=back\\slash', 'u=été', 'flag'])
  })

  it('renders a service file with escaped text', () => {
    const text = serviceXml({ name: 'A & B <lamp>', type: '_plxtest._tcp', port: 80, txt: ['k="v"'], subtypes: ['_x._sub._plxtest._tcp'] })
    expect(text).toContain('<name>A &amp; B &lt;lamp&gt;</name>')
    expect(text).toContain('<txt-record>k=&quot;v&quot;</txt-record>')
    expect(text).toContain('<subtype>_x._sub._plxtest._tcp</subtype>')
  })
})

const skipReason = labUnavailableReason({ avahi: true, zeroconf: true })

describe.skipIf(skipReason !== undefined)(`reference peers on br-home${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let lab: Lab
  const peers = () => {
    const { avahi, zeroconf } = lab.peers
    if (!avahi || !zeroconf) throw new Error('peers missing')
    return { avahi, zeroconf }
  }

  beforeAll(async () => {
    lab = await createLab({ accessories: [], peers: { avahi: true, zeroconf: true } })
    process.stdout.write(`peers lab build timings (ms): ${JSON.stringify(lab.timings)}\n`)
  }, 30_000)

  afterAll(async () => {
    await lab?.dispose()
  }, 30_000)

  it('publishes a static avahi service with an awkward name and TXT that python-zeroconf reads back', async () => {
    const { avahi, zeroconf } = peers()
    const file = await avahi.publishStatic({ name: 'Porch Lamp (v2.1)', type: '_plxstatic._tcp', port: 8081, txt: ['q=say "hi"', 'u=été', 'flag'] })
    const found = (await zeroconf.browse('_plxstatic._tcp', 5000, 'Porch Lamp (v2.1)')).find((s) => s.name === 'Porch Lamp (v2.1)')
    expect(found).toMatchObject({ port: 8081, server: `${avahi.hostName}.`, txt: ['q=say "hi"', 'u=été', 'flag'] })
    expect(found?.addresses4).toEqual(['198.18.0.3'])
    const own = await avahi.browse('_plxstatic._tcp')
    expect(own.find((r) => r.protocol === 'IPv4')).toMatchObject({ name: 'Porch Lamp (v2.1)', txt: ['q=say "hi"', 'u=été', 'flag'] })
    expect(own.find((r) => r.protocol === 'IPv6')?.address).toMatch(/^fe80::|^fd00:706c:78::/)
    await avahi.removeStatic(file)
  })

  it('renames an avahi-publish service on a name conflict with python-zeroconf', async () => {
    const { avahi, zeroconf } = peers()
    await zeroconf.publish('Twin', '_plxtwin._tcp', 9000, ['owner=zc'])
    const pub = await avahi.publish('Twin', '_plxtwin._tcp', 9001, ['owner=avahi'])
    expect(pub.name).not.toBe('Twin')
    expect(pub.name).toMatch(/^Twin/)
    await pub.stop()
    await zeroconf.unpublish('Twin', '_plxtwin._tcp')
  })

  it('drops a python-zeroconf service from avahi after its goodbye', async () => {
    const { avahi, zeroconf } = peers()
    await zeroconf.publish('Leaving', '_plxbye._tcp', 9100, [])
    const listed = async () => (await avahi.browse('_plxbye._tcp')).some((r) => r.name === 'Leaving')
    let isListed = await listed()
    for (let i = 0; i < 3 && !isListed; i++) isListed = await listed()
    expect(isListed).toBe(true)
    await zeroconf.unpublish('Leaving', '_plxbye._tcp')
    // RFC 6762 §10.1: a goodbye sets the record's TTL to 1 s, so avahi's cache lets it go a second later.
    const deadline = Date.now() + 6000
    let isGone = !(await listed())
    while (!isGone && Date.now() < deadline) isGone = !(await listed())
    expect(isGone).toBe(true)
  })
})
