/** The preview's port when --port is not given (the help text names it without loading the watcher). */
export const DEFAULT_PORT = 4173;
