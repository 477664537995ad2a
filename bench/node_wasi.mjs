// A peer of the benchmarks: runs a WASI preview 1 command with Node.js's
// built-in WASI (`node:wasi`), the module compiled afresh on every run
// (Node keeps no compiled-code cache for WebAssembly).
//
//     node bench/node_wasi.mjs MODULE [ARGS...]
//
// The program gets the process's standard streams and its arguments, no
// environment and no directories. Exits with the program's exit code.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [modulePath, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [modulePath, ...args], env: {} });
const module = await WebAssembly.compile(await readFile(modulePath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
