"""bench:onboarding's esp_prov runner: times proto-ver + the prov-session handshake with Espressif's
reference client (tools/esp_prov of an ESP-IDF v5.x tree at $ESP_PROV_DIR), for comparison with Porchlight.

Reads one JSON object on stdin (host, port, security, patch, username, pop, runs) so the setup code never
shows in a process listing; prints {"times": [ms or null, ...], "errors": [text, ...]} on stdout.
Copes with both the older synchronous and the v5.x asynchronous transport API.
"""
import inspect
import json
import os
import sys
import time
import asyncio

ROOT = os.environ['ESP_PROV_DIR']
# esp_prov's proto/__init__.py reads IDF_PATH unconditionally (reference §1.11).
os.environ.setdefault('IDF_PATH', ROOT)
sys.path.insert(0, os.path.join(ROOT, 'components', 'protocomm', 'python'))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'esp_prov'))

import security  # noqa: E402  (esp_prov's package)
import transport  # noqa: E402


async def settle(value):
    return await value if inspect.isawaitable(value) else value


def make_security(cfg):
    if cfg['security'] == 2:
        try:
            return security.Security2(cfg['patch'], cfg['username'], cfg['pop'], False)
        except TypeError:  # before the 2025 sec_patch_ver releases
            return security.Security2(cfg['username'], cfg['pop'], False)
    if cfg['security'] == 1:
        return security.Security1(cfg['pop'], False)
    return security.Security0(False)


async def once(cfg):
    started = time.perf_counter()
    tp = transport.Transport_HTTP('%s:%d' % (cfg['host'], cfg['port']))
    try:
        await settle(tp.send_data('proto-ver', '---'))
        sec = make_security(cfg)
        response = None
        for _ in range(4):
            request = sec.security_session(response)
            if request is None:
                return (time.perf_counter() - started) * 1000
            response = await settle(tp.send_data('prov-session', request))
        raise RuntimeError('handshake did not finish')
    finally:
        conn = getattr(tp, 'conn', None)
        if conn is not None:
            conn.close()


async def main():
    cfg = json.load(sys.stdin)
    times, errors = [], []
    for _ in range(cfg['runs']):
        try:
            times.append(round(await once(cfg), 1))
        except Exception as error:  # a failed run is a data point, not the end of the benchmark
            times.append(None)
            errors.append(type(error).__name__)
    print(json.dumps({'times': times, 'errors': errors}))


asyncio.run(main())
