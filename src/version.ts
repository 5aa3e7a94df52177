// The hub's version, on its own so that what only prints or records it (the CLI, exports) does
// not load the HTTP server to learn it.
export const VERSION = '0.1.0';
