;; Imports a function no host provides: instantiation must fail, and the
;; error must name the module ("env") and the field ("nope").
(module
  (import "env" "nope" (func $nope))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $nope)))
