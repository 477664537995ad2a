;; memory.grow past the sandbox's memory limit must return -1 (not trap),
;; leave the size as it was, and a later small grow within the limit must
;; still work. Exit codes: 0 all as expected; 1 the huge grow succeeded;
;; 2 the size changed after the failed grow; 3 the small grow failed.
(module
  (import "wasi_snapshot_preview1" "proc_exit"
    (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    ;; 65535 more pages would be the whole 4 GiB address space.
    (if (i32.ne (memory.grow (i32.const 65535)) (i32.const -1))
      (then (call $proc_exit (i32.const 1))))
    (if (i32.ne (memory.size) (i32.const 1))
      (then (call $proc_exit (i32.const 2))))
    ;; One more page (128 KiB in all) fits under any sensible limit.
    (if (i32.ne (memory.grow (i32.const 1)) (i32.const 1))
      (then (call $proc_exit (i32.const 3))))
    (call $proc_exit (i32.const 0))))
