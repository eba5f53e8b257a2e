// ESLint rule `porchlight/boundaries`: the import rules of docs/architecture.md, by resolved folder.
//
// Ours because no-restricted-imports matches import strings, not where a relative path lands: from
// shared/ipc/, '../net/x' is fine and '../../main/x' is not, and only resolving the path tells them apart.
import { builtinModules } from 'node:module'
import { dirname, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const NODE_BUILTINS = new Set(builtinModules)
const LAYERS = ['app', 'main', 'renderer', 'shared']
// The repository root is where this file lives (build/eslint/), not the directory ESLint was started from.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** What each layer may not import. `packages: 'only:…'` is an allowlist of npm packages. */
const POLICY = {
  shared: { layers: ['app', 'main', 'renderer'], electron: true, node: true, packages: ['zod'] },
  main: { layers: ['app', 'renderer'], electron: true, node: false },
  renderer: { layers: ['app', 'main'], electron: true, node: true },
  app: { layers: ['renderer'], electron: false, node: false },
}

function layerOf(root, file) {
  const top = relative(root, file).split(sep)[0]
  return LAYERS.includes(top) ? top : undefined
}

function packageName(spec) {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function violation(root, file, layer, spec) {
  const policy = POLICY[layer]
  if (spec.startsWith('.')) {
    const target = layerOf(root, resolve(dirname(file), spec))
    if (target && policy.layers.includes(target)) return `${layer}/ must not import from ${target}/`
    if (!target && layer === 'shared') return 'shared/ must not import from outside shared/'
    return undefined
  }
  const name = packageName(spec)
  if (name === 'electron' && policy.electron) return `${layer}/ must not import electron (only app/ may)`
  const isNode = spec.startsWith('node:') || NODE_BUILTINS.has(name)
  if (isNode && policy.node) return `${layer}/ must not import Node built-ins ('${spec}')`
  if (!isNode && policy.packages && !policy.packages.includes(name)) {
    return `${layer}/ may import only ${policy.packages.join(', ')} (found '${spec}')`
  }
  return undefined
}

export const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the app/main/renderer/shared import rules of docs/architecture.md' },
    schema: [],
  },
  create(context) {
    const root = ROOT
    const file = context.filename
    const layer = layerOf(root, file)
    if (!layer) return {}
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return
      const message = violation(root, file, layer, source.value)
      if (message) context.report({ node, message: `${message} (docs/architecture.md)` })
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : undefined),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0])
        }
      },
    }
  },
}
