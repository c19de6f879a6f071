# FP_SANITIZE=ON builds everything with ASan + UBSan (tests run under them in CI).
if(FP_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
