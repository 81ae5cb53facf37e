/**
 * Node's http module, taken with process.getBuiltinModule instead of an ES import. Importing node:http as an ES
 * module builds its ES facade, which reads every export and so loads Node's bundled undici: ~15 MB resident and
 * ~40 ms at start (Node 26, measured) for nothing Archway uses. Types still come from `import type ... 'node:http'`.
 *
 * Importable from every layer; the one place that knows this.
 */
export const http = process.getBuiltinModule('node:http');
