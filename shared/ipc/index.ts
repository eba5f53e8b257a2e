/** The IPC contract, re-exported for the hosts and the renderer. */
export * from './bridge'
export * from './contract'
export * from './result'
