/**
 * Renderer build: React via Vite, output to dist/renderer, relative asset URLs (served from app://bundle/
 * and from the web host alike), and the base CSP injected as a meta tag from shared/csp.ts.
 */
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import { contentSecurityPolicy } from './shared/csp.ts'

function cspMeta(): Plugin {
  return {
    name: 'porchlight-csp-meta',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy('meta') }, injectTo: 'head-prepend' },
    ],
  }
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMeta()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: false, modulePreload: { polyfill: false } },
})
