;; Hands fd_write pointers outside linear memory (one page, 64 KiB) in
;; three ways: the iovec array itself, the buffer an iovec points at, and
;; the place to store the count. Each must fail with EFAULT (21) rather
;; than trap or touch host memory. Exits via proc_exit with 21 when all
;; three gave EFAULT, otherwise with the first errno that was not 21.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit"
    (func $proc_exit (param i32)))
  (memory (export "memory") 1)

  ;; Exits with $errno unless it is EFAULT.
  (func $expect_efault (param $errno i32)
    (if (i32.ne (local.get $errno) (i32.const 21))
      (then (call $proc_exit (local.get $errno)))))

  (func (export "_start")
    ;; 1. iovec array starts past the end of memory.
    (call $expect_efault
      (call $fd_write (i32.const 1) (i32.const 65536) (i32.const 1)
                      (i32.const 0)))

    ;; 2. iovec at 16 is valid but points at 100 bytes from 0xfffffff0.
    (i32.store (i32.const 16) (i32.const 0xfffffff0))
    (i32.store (i32.const 20) (i32.const 100))
    (call $expect_efault
      (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1)
                      (i32.const 0)))

    ;; 3. a valid one-byte write whose count pointer straddles the end.
    (i32.store8 (i32.const 32) (i32.const 0x2e))
    (i32.store (i32.const 16) (i32.const 32))
    (i32.store (i32.const 20) (i32.const 0))
    (call $expect_efault
      (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1)
                      (i32.const 65534)))

    (call $proc_exit (i32.const 21))))
