"""The peer of the benchmarks: runs a WASI preview 1 command with Wasmtime's
own WASI through the PyPI `wasmtime` bindings (not the Wasmtime CLI).

    python3 wasmtime_run.py [--cache] [--dir HOST::GUEST] MODULE [ARGS...]

--cache turns on Wasmtime's compiled-code cache (~/.cache/wasmtime); a
MODULE ending in .cwasm is taken as precompiled (Module.serialize) code.
Exits with the program's exit code.
"""
import sys
import wasmtime as wt

argv, config, wasi = sys.argv[1:], wt.Config(), wt.WasiConfig()
if argv[0] == "--cache":
    config.cache, argv = True, argv[1:]
if argv[0] == "--dir":
    wasi.preopen_dir(*argv[1].split("::"))
    argv = argv[2:]
engine = wt.Engine(config)
load = wt.Module.deserialize_file if argv[0].endswith(".cwasm") else wt.Module.from_file
module = load(engine, argv[0])
wasi.argv, store, linker = argv, wt.Store(engine), wt.Linker(engine)
for stream in ("stdin", "stdout", "stderr"):
    getattr(wasi, "inherit_" + stream)()
store.set_wasi(wasi)
linker.define_wasi()
try:
    linker.instantiate(store, module).exports(store)["_start"](store)
except wt.ExitTrap as exit:
    sys.exit(exit.code)
