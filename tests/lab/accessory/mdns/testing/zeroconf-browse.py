"""Lab interop peer: browse one DNS-SD type with python-zeroconf and print each resolved service as a JSON line.

usage: zeroconf-browse.py TYPE TIMEOUT_S [v4|v6] [INSTANCE]
(exits after the first resolved service, or the first named INSTANCE, or at timeout)
"""
import json
import sys
import threading

from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf

service_type, timeout = sys.argv[1], float(sys.argv[2])
family = sys.argv[3] if len(sys.argv) > 3 else "v4"
wanted = sys.argv[4] if len(sys.argv) > 4 else ""
done = threading.Event()
zc = Zeroconf(ip_version=IPVersion.V6Only if family == "v6" else IPVersion.V4Only)


def on_change(zeroconf, service_type, name, state_change):
    if state_change is not ServiceStateChange.Added or (wanted and name != f"{wanted}.{service_type}"):
        return
    info = zeroconf.get_service_info(service_type, name, timeout=3000)
    if info is None:
        print(json.dumps({"ev": "unresolved", "name": name}), flush=True)
        return
    print(json.dumps({
        "ev": "resolved",
        "name": name,
        "server": info.server,
        "port": info.port,
        "addresses": info.parsed_scoped_addresses(),
        "properties": {k.decode("latin1"): (None if v is None else v.decode("latin1")) for k, v in info.properties.items()},
        "text": info.text.hex(),
    }), flush=True)
    done.set()


ServiceBrowser(zc, service_type, handlers=[on_change])
found = done.wait(timeout)
zc.close()
if not found:
    print(json.dumps({"ev": "timeout"}), flush=True)
sys.exit(0 if found else 1)
