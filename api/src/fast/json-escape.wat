;; The body of a JSON string literal from UTF-8 text, exactly as JSON.stringify writes it:
;; '"' and '\' and every byte below 0x20 escaped (\b \t \n \f \r by letter, the rest as \u00xx),
;; everything else copied. Sixteen bytes are checked at a time; a clean block is stored whole.
;; Regenerate json-escape.wasm.ts after editing: npm run wasm -w api
(module
  (memory (export "memory") 1)
  ;; bytes 0-255: 0 if the byte is copied as is, else the letter after the backslash ('u': \u00xx)
  (data (i32.const 0) "uuuuuuuubtnufruuuuuuuuuuuuuuuuuu\00\00\22")
  (data (i32.const 92) "\5c")
  (data (i32.const 256) "0123456789abcdef")

  ;; escape(src, len, dst): writes the escaped bytes at dst (room for 6 per input byte) and
  ;; returns how many it wrote
  (func (export "escape") (param $src i32) (param $len i32) (param $dst i32) (result i32)
    (local $end i32) (local $start i32) (local $v v128) (local $mask i32) (local $k i32)
    (local $b i32) (local $e i32)
    (local.set $start (local.get $dst))
    (local.set $end (i32.add (local.get $src) (local.get $len)))
    (block $done
      (loop $next
        (if (i32.le_u (i32.add (local.get $src) (i32.const 16)) (local.get $end))
          (then
            (local.set $v (v128.load align=1 (local.get $src)))
            (local.set $mask (i8x16.bitmask
              (v128.or
                (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 0x20)))
                (v128.or
                  (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))
                  (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c)))))))
            ;; stored whole even if not clean: the bytes past the first to escape are rewritten
            (v128.store align=1 (local.get $dst) (local.get $v))
            (if (i32.eqz (local.get $mask))
              (then
                (local.set $src (i32.add (local.get $src) (i32.const 16)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (br $next)))
            ;; skip the clean bytes before the first one to escape
            (local.set $k (i32.ctz (local.get $mask)))
            (local.set $src (i32.add (local.get $src) (local.get $k)))
            (local.set $dst (i32.add (local.get $dst) (local.get $k))))
          (else
            (br_if $done (i32.ge_u (local.get $src) (local.get $end)))))
        ;; one byte: copied, or escaped
        (local.set $b (i32.load8_u (local.get $src)))
        (local.set $e (i32.load8_u (local.get $b)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (if (i32.eqz (local.get $e))
          (then
            (i32.store8 (local.get $dst) (local.get $b))
            (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
            (br $next)))
        (i32.store8 (local.get $dst) (i32.const 0x5c))
        (i32.store8 offset=1 (local.get $dst) (local.get $e))
        (if (i32.eq (local.get $e) (i32.const 0x75))
          (then
            (i32.store16 offset=2 (local.get $dst) (i32.const 0x3030))
            (i32.store8 offset=4 (local.get $dst) (i32.load8_u offset=256 (i32.shr_u (local.get $b) (i32.const 4))))
            (i32.store8 offset=5 (local.get $dst) (i32.load8_u offset=256 (i32.and (local.get $b) (i32.const 15))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 6))))
          (else
            (local.set $dst (i32.add (local.get $dst) (i32.const 2)))))
        (br $next)))
    (i32.sub (local.get $dst) (local.get $start))))
