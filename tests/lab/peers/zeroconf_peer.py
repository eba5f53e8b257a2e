"""The lab's python-zeroconf reference peer: one long-lived Zeroconf on one interface, driven by JSON lines.

usage: /usr/bin/python3 zeroconf_peer.py IFNAME ADDR4 HOSTNAME   (run inside the peer's namespace)
stdin, one JSON object per line, each with an "id":
  {"cmd": "publish", "name", "type": "_demo._tcp", "port", "txt": ["k=v"], "addresses": [...], "allowNameChange"}
  {"cmd": "unpublish", "name", "type"}
  {"cmd": "browse", "type", "timeoutMs", "until": optional instance name that ends the browse early}
stdout: {"event": "ready"} once Zeroconf is up, then {"id", "ok": true, ...} or {"id", "ok": false, "error"} per command.
EOF or SIGTERM unregisters everything (goodbye packets) and exits.
"""
import json
import queue
import signal
import socket
import sys
import time

from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

IFA_F_TENTATIVE = 0x40
IFA_F_DADFAILED = 0x08
COMMANDS = ('publish', 'unpublish', 'browse')


def wait_for_link_local(ifname, timeout_s):
    """IPv6 multicast joins and sends need a settled link-local address, so wait for DAD (bounded)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with open('/proc/net/if_inet6') as f:
            for line in f:
                addr, _idx, _plen, scope, flags, name = line.split()
                if name == ifname and scope == '20' and not int(flags, 16) & (IFA_F_TENTATIVE | IFA_F_DADFAILED):
                    return True
        time.sleep(0.05)
    return False


def fq(type_):
    return type_ if type_.endswith('.local.') else type_.rstrip('.') + '.local.'


def txt_entries(raw):
    """TXT as the wire has it (length-prefixed strings), so order and odd entries survive."""
    out, i = [], 0
    while i < len(raw):
        n = raw[i]
        out.append(raw[i + 1:i + 1 + n].decode('utf-8', 'replace'))
        i += 1 + n
    return [e for e in out if e]


def txt_properties(entries):
    props = {}
    for e in entries:
        key, sep, value = e.partition('=')
        props[key.encode()] = value.encode() if sep else None
    return props


def describe(info):
    v4 = info.parsed_scoped_addresses(IPVersion.V4Only)
    v6 = info.parsed_scoped_addresses(IPVersion.V6Only)
    return {'name': info.name[: -len(info.type) - 1], 'type': info.type, 'server': info.server, 'port': info.port,
            'addresses4': v4, 'addresses6': v6, 'txt': txt_entries(info.text)}


class Peer:
    def __init__(self, ifname, addr4, host):
        self.host = host if host.endswith('.') else host + '.' if host.endswith('.local') else host + '.local.'
        self.zc = Zeroconf(interfaces=[addr4, socket.if_nametoindex(ifname)], ip_version=IPVersion.All)
        self.published = {}

    def publish(self, m):
        type_ = fq(m['type'])
        info = ServiceInfo(type_, f"{m['name']}.{type_}", port=int(m['port']), properties=txt_properties(m.get('txt', [])),
                           server=self.host, parsed_addresses=m['addresses'])
        self.zc.register_service(info, allow_name_change=bool(m.get('allowNameChange')))
        self.published[info.name] = info
        return {'name': info.name[: -len(type_) - 1]}

    def unpublish(self, m):
        info = self.published.pop(f"{m['name']}.{fq(m['type'])}", None)
        if info:
            self.zc.unregister_service(info)
        return {'removed': info is not None}

    def browse(self, m):
        type_ = fq(m['type'])
        names = queue.Queue()

        def on_change(zeroconf, service_type, name, state_change):
            if state_change in (ServiceStateChange.Added, ServiceStateChange.Updated):
                names.put(name)

        deadline = time.monotonic() + m.get('timeoutMs', 3000) / 1000
        results = {}
        browser = ServiceBrowser(self.zc, type_, handlers=[on_change])
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    name = names.get(timeout=left)
                except queue.Empty:
                    break
                info = self.zc.get_service_info(type_, name, timeout=max(100, int((deadline - time.monotonic()) * 1000)))
                if info:
                    results[name] = describe(info)
                    if m.get('until') and results[name]['name'] == m['until']:
                        break
        finally:
            browser.cancel()
        return {'results': list(results.values())}

    def close(self):
        self.zc.unregister_all_services()
        self.zc.close()


def main():
    ifname, addr4, host = sys.argv[1:4]
    if not wait_for_link_local(ifname, 5):
        print(json.dumps({'event': 'failed', 'error': f'no settled IPv6 link-local address on {ifname}'}), flush=True)
        sys.exit(1)
    peer = Peer(ifname, addr4, host)
    signal.signal(signal.SIGTERM, lambda *_: (peer.close(), sys.exit(0)))
    print(json.dumps({'event': 'ready'}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        m = json.loads(line)
        try:
            if m.get('cmd') not in COMMANDS:
                raise ValueError(f"unknown command {m.get('cmd')!r}")
            reply = {'id': m.get('id'), 'ok': True, **getattr(peer, m['cmd'])(m)}
        except Exception as e:  # reported to the caller as a value, never a crash of the peer
            reply = {'id': m.get('id'), 'ok': False, 'error': f'{type(e).__name__}: {e}'}
        print(json.dumps(reply), flush=True)
    peer.close()


if __name__ == '__main__':
    main()
