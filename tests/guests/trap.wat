;; _start calls $boom, which executes `unreachable`: the run must end as a
;; trap whose message names the trap kind and the function.
(module
  (memory (export "memory") 1)
  (func $boom
    unreachable)
  (func (export "_start")
    (call $boom)))
