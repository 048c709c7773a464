// `server-only` throws outside a React Server bundle; tests run server code directly.
export {};
